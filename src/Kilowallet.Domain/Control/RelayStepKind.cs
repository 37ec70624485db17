namespace Kilowallet.Domain.Control;

/// <summary>What the server should do next for a meter's relay.</summary>
public enum RelayStepKind
{
    /// <summary>Nothing to do until a new request.</summary>
    Idle = 0,

    /// <summary>Send the command for <see cref="RelayStep.Target"/> now, then report <see cref="MeterRelay.Sent"/>.</summary>
    Send = 1,

    /// <summary>Read the relay state from the meter now, then report <see cref="MeterRelay.ReadBack"/>.</summary>
    ReadBack = 2,

    /// <summary>Wait: call <see cref="MeterRelay.Advance"/> at <see cref="RelayStep.At"/> unless an event comes first.</summary>
    Wait = 3,
}
