using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Notifications;
using Kilowallet.Domain.Safety;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// An event to tell people about, as features hand it to <see cref="NotificationOutbox.EnqueueAsync"/>.
/// <see cref="Key"/> identifies the event (from <see cref="NotificationKey"/>): enqueueing the same
/// key again adds nothing. Tenant kinds name the <see cref="Account"/>; its tenant receives the
/// message through the channels the tenant chose. Operator alarms go to the staff users of
/// <see cref="OperatorRoles"/>. Active webhook subscriptions for the kind receive every event.
/// Use the factory methods; they fill what each kind's template needs.
/// </summary>
public sealed record NotificationRequest
{
    public required NotificationKind Kind { get; init; }

    public required NotificationKey Key { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public AccountId? Account { get; init; }

    /// <summary>{amount}: a top-up's amount.</summary>
    public Money? Amount { get; init; }

    /// <summary>{balance}: the available balance after the event; read from the account when left null.</summary>
    public Money? Balance { get; init; }

    /// <summary>{days}: days of credit left.</summary>
    public int? Days { get; init; }

    public AlarmType? Alarm { get; init; }

    /// <summary>{source}: the device an alarm is about, e.g. "Meter 1F-012".</summary>
    public string? Source { get; init; }

    /// <summary>{detail}: the detector's description of an alarm.</summary>
    public string? Detail { get; init; }

    /// <summary>{shop}: overrides the account's shop name.</summary>
    public string? Shop { get; init; }

    /// <summary>Operator alarms: the staff roles to tell (default: Notifications:AlarmRoles).</summary>
    public IReadOnlyList<string>? OperatorRoles { get; init; }

    /// <summary>A warning, exhaustion (… ) crossing of an account's balance, from the balance_events stream.</summary>
    public static NotificationRequest ForBalanceEvent(NotificationKind kind, AccountId account, DateTimeOffset occurredAt, Money balance) => new()
    {
        Kind = kind,
        Key = NotificationKey.ForBalanceEvent(kind, account, occurredAt),
        OccurredAt = occurredAt,
        Account = account,
        Balance = balance,
    };

    /// <summary>"Top-up of {amount} received. Balance {balance}", identified by the top-up's idempotency key.</summary>
    public static NotificationRequest TopUp(AccountId account, IdempotencyKey topUp, Money amount, Money balance, DateTimeOffset occurredAt) => new()
    {
        Kind = NotificationKind.TopUpReceived,
        Key = NotificationKey.ForTopUp(account, topUp),
        OccurredAt = occurredAt,
        Account = account,
        Amount = amount,
        Balance = balance,
    };

    /// <summary>
    /// A relay event of a meter the account pays for: <see cref="NotificationKind.PowerCut"/>,
    /// <see cref="NotificationKind.Reconnected"/>, or <see cref="NotificationKind.ReconnectPressButton"/>
    /// when the meter needs its button pressed; identified by the relay command's sequence number.
    /// </summary>
    public static NotificationRequest Relay(NotificationKind kind, AccountId account, MeterId meter, long commandSequence, DateTimeOffset occurredAt, Money? balance = null)
    {
        if (kind is not (NotificationKind.PowerCut or NotificationKind.Reconnected or NotificationKind.ReconnectPressButton))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "A relay notification is a power cut, a reconnection or a press-the-button message.");
        }

        return new()
        {
            Kind = kind,
            Key = NotificationKey.ForRelayCommand(kind, meter, commandSequence),
            OccurredAt = occurredAt,
            Account = account,
            Balance = balance,
        };
    }

    /// <summary>"About {days} of credit left", at most once per account and local day.</summary>
    public static NotificationRequest Forecast(AccountId account, DateOnly localDate, int days, Money balance, DateTimeOffset occurredAt) => new()
    {
        Kind = NotificationKind.PredictedExhaustion,
        Key = NotificationKey.ForPrediction(account, localDate),
        OccurredAt = occurredAt,
        Account = account,
        Days = days,
        Balance = balance,
    };

    /// <summary>An alarm raised, for the staff of <paramref name="roles"/> (default: Notifications:AlarmRoles).</summary>
    public static NotificationRequest OperatorAlarm(AlarmKey alarm, DateTimeOffset raisedAt, string source, string detail, IReadOnlyList<string>? roles = null) => new()
    {
        Kind = NotificationKind.OperatorAlarm,
        Key = NotificationKey.ForAlarm(alarm, raisedAt),
        OccurredAt = raisedAt,
        Alarm = alarm.Type,
        Source = source,
        Detail = detail,
        OperatorRoles = roles,
    };
}
