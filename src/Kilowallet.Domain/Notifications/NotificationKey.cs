using System.Globalization;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Safety;

namespace Kilowallet.Domain.Notifications;

/// <summary>
/// The deduplication key of a notification event: the same event produces the same key however
/// often it is processed, so the outbox (which adds the recipient and channel) sends it once.
/// </summary>
public readonly record struct NotificationKey(string Value)
{
    /// <summary>A balance crossing of an account, identified by the instant it was observed.</summary>
    public static NotificationKey ForBalanceEvent(NotificationKind kind, AccountId account, DateTimeOffset occurredAt) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{NotificationRules.Code(kind)}:account:{account.Value}:{Stamp(occurredAt)}"));

    /// <summary>A top-up, identified by its posting's idempotency key.</summary>
    public static NotificationKey ForTopUp(AccountId account, IdempotencyKey topUp) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{NotificationRules.Code(NotificationKind.TopUpReceived)}:account:{account.Value}:{topUp}"));

    /// <summary>A relay event (cut, reconnected, press the button), identified by the command's sequence number.</summary>
    public static NotificationKey ForRelayCommand(NotificationKind kind, MeterId meter, long commandSequence) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{NotificationRules.Code(kind)}:meter:{meter.Value}:{commandSequence}"));

    /// <summary>The exhaustion forecast: at most one per account per local day.</summary>
    public static NotificationKey ForPrediction(AccountId account, DateOnly localDate) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{NotificationRules.Code(NotificationKind.PredictedExhaustion)}:account:{account.Value}:{localDate:yyyy-MM-dd}"));

    /// <summary>An alarm, identified by its deduplication key and the instant it was raised.</summary>
    public static NotificationKey ForAlarm(AlarmKey alarm, DateTimeOffset raisedAt) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{NotificationRules.Code(NotificationKind.OperatorAlarm)}:{alarm}:{Stamp(raisedAt)}"));

    public override string ToString() => Value;

    private static string Stamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture);
}
