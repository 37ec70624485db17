namespace Kilowallet.Protocols.Profiles;

/// <summary>What a relay command does.</summary>
public enum RelayAction
{
    Trip,

    /// <summary>Close at once.</summary>
    Close,

    /// <summary>Allow closing: the tenant presses the meter's button.</summary>
    CloseAllowed,
}
