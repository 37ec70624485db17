namespace Kilowallet.Domain.Notifications;

/// <summary>What a notification is about. Its stable code (see <see cref="NotificationRules.Code"/>) is kebab-case.</summary>
public enum NotificationKind
{
    /// <summary>The balance fell to warning level 1.</summary>
    Warning1Crossed = 0,

    /// <summary>The balance fell to warning level 2.</summary>
    Warning2Crossed = 1,

    /// <summary>The balance reached the trip level; the supply will be cut (perhaps after friendly hours).</summary>
    CreditExhausted = 2,

    /// <summary>The relay was opened for lack of credit.</summary>
    PowerCut = 3,

    /// <summary>The relay was closed again.</summary>
    Reconnected = 4,

    /// <summary>Closing is allowed; the tenant must press the meter's button.</summary>
    ReconnectPressButton = 5,

    TopUpReceived = 6,

    /// <summary>"About N days of credit left", from the last seven days' use.</summary>
    PredictedExhaustion = 7,

    /// <summary>An alarm raised, for operators.</summary>
    OperatorAlarm = 8,

    /// <summary>
    /// A one-time sign-in code for a shop owner's phone or email (the code travels as {detail}). Sent
    /// to the address the person typed, never through webhooks or the in-app inbox.
    /// </summary>
    SignInCode = 9,
}
