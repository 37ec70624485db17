namespace Kilowallet.Domain.Control;

/// <summary>What <see cref="ControlPolicy"/> tells the server to do with a meter's relay.</summary>
public enum ControlAction
{
    /// <summary>Leave the relay as it is; <see cref="ControlDecision.Hold"/> may say why.</summary>
    None = 0,

    /// <summary>Command the relay open now.</summary>
    TripNow = 1,

    /// <summary>The relay should open, but not before <see cref="ControlDecision.NotBefore"/>; decide again then.</summary>
    TripDeferred = 2,

    /// <summary>Command the relay closed (or close-allowed) now.</summary>
    ReconnectNow = 3,
}
