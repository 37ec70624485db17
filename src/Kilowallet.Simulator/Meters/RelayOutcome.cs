namespace Kilowallet.Simulator.Meters;

/// <summary>What a relay command did.</summary>
public enum RelayOutcome
{
    /// <summary>The relay is now in the commanded position.</summary>
    Done = 0,

    /// <summary>Close allowed: the relay closes when the tenant presses the button.</summary>
    AwaitingButton = 1,

    /// <summary>The meter has no relay.</summary>
    NoRelay = 2,
}
