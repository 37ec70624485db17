using Kilowallet.Domain.Ledger;

namespace Kilowallet.Domain.Notifications;

/// <summary>Who receives each kind of notification, which balance events notify, and when delivery may happen.</summary>
public static class NotificationRules
{
    public static string Code(NotificationKind kind) => kind switch
    {
        NotificationKind.Warning1Crossed => "warning-1",
        NotificationKind.Warning2Crossed => "warning-2",
        NotificationKind.CreditExhausted => "credit-exhausted",
        NotificationKind.PowerCut => "power-cut",
        NotificationKind.Reconnected => "reconnected",
        NotificationKind.ReconnectPressButton => "press-button",
        NotificationKind.TopUpReceived => "top-up",
        NotificationKind.PredictedExhaustion => "predicted-exhaustion",
        NotificationKind.OperatorAlarm => "operator-alarm",
        NotificationKind.SignInCode => "sign-in-code",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown notification kind."),
    };

    public static NotificationAudience AudienceOf(NotificationKind kind) =>
        kind == NotificationKind.OperatorAlarm ? NotificationAudience.Operator : NotificationAudience.Tenant;

    /// <summary>
    /// The tenant notification for a balance event, or null: "back above the reconnect level" is told
    /// through the top-up and reconnection messages instead.
    /// </summary>
    public static NotificationKind? ForBalanceEvent(BalanceEvent balanceEvent) => balanceEvent switch
    {
        BalanceEvent.CrossedWarning1 => NotificationKind.Warning1Crossed,
        BalanceEvent.CrossedWarning2 => NotificationKind.Warning2Crossed,
        BalanceEvent.Exhausted => NotificationKind.CreditExhausted,
        _ => null,
    };

    /// <summary>
    /// Whether a notification is sent even during the tenant's quiet hours: losing or regaining power,
    /// and confirmations of the tenant's own top-up, cannot wait; reminders and forecasts can.
    /// Operators have no quiet hours.
    /// </summary>
    public static bool BypassesQuietHours(NotificationKind kind) =>
        kind is not (NotificationKind.Warning1Crossed or NotificationKind.Warning2Crossed or NotificationKind.PredictedExhaustion);

    /// <summary>When a notification that became due at <paramref name="dueAt"/> may be delivered.</summary>
    public static DateTimeOffset DeliveryTime(NotificationKind kind, DateTimeOffset dueAt, QuietHours? quietHours) =>
        quietHours is null || BypassesQuietHours(kind) ? dueAt : quietHours.DeliveryTime(dueAt);
}
