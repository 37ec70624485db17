namespace Kilowallet.Domain.Control;

/// <summary>
/// A safety detector's demand that the supply stay cut. The server takes the most severe hold of a
/// meter's detectors (see Kilowallet.Domain.Safety) and passes it to <see cref="ControlPolicy"/>.
/// </summary>
public enum SafetyHold
{
    None = 0,

    /// <summary>Overload trip, waiting for the automatic reclose.</summary>
    Overload = 1,

    /// <summary>A forbidden high-power appliance was detected.</summary>
    MaliciousLoad = 2,

    /// <summary>Too many overload trips: locked out until an operator resets.</summary>
    OverloadLockout = 3,
}
