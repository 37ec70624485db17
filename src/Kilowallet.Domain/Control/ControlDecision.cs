namespace Kilowallet.Domain.Control;

/// <summary>
/// The outcome of <see cref="ControlPolicy.Decide"/>: an action, its cause, and for a deferred trip
/// the instant to decide again. <see cref="TenantMustPressButton"/> asks the server to tell the
/// tenant to press the meter's button (close-allowed meters).
/// </summary>
public sealed record ControlDecision
{
    private ControlDecision(ControlAction action, RelayCause? cause, ControlHold hold)
    {
        Action = action;
        Cause = cause;
        Hold = hold;
    }

    public ControlAction Action { get; }

    /// <summary>Why the relay is to move; null when nothing is to be done.</summary>
    public RelayCause? Cause { get; }

    public ControlHold Hold { get; }

    /// <summary>For <see cref="ControlAction.TripDeferred"/>: the earliest instant the trip may happen.</summary>
    public DateTimeOffset? NotBefore { get; private init; }

    public DeferralReason? Deferral { get; private init; }

    /// <summary>For <see cref="ControlAction.ReconnectNow"/>: how the meter closes.</summary>
    public CloseMode? CloseMode { get; private init; }

    public bool TenantMustPressButton => Action == ControlAction.ReconnectNow && CloseMode == Control.CloseMode.CloseAllowed;

    /// <summary>The relay state to command now; null when no command is due.</summary>
    public RelayState? CommandTarget => Action switch
    {
        ControlAction.TripNow => RelayState.Open,
        ControlAction.ReconnectNow => RelayState.Closed,
        _ => null,
    };

    public static ControlDecision Nothing(ControlHold hold = ControlHold.None) => new(ControlAction.None, null, hold);

    public static ControlDecision TripNow(RelayCause cause) => new(ControlAction.TripNow, cause, ControlHold.None);

    public static ControlDecision TripDeferred(RelayCause cause, DateTimeOffset notBefore, DeferralReason reason) =>
        new(ControlAction.TripDeferred, cause, ControlHold.None) { NotBefore = notBefore, Deferral = reason };

    public static ControlDecision ReconnectNow(RelayCause cause, CloseMode closeMode) =>
        new(ControlAction.ReconnectNow, cause, ControlHold.None) { CloseMode = closeMode };
}
