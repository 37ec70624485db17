namespace Kilowallet.Protocols.Profiles;

/// <summary>How a remote reconnect works on a meter model.</summary>
public enum CloseMode
{
    /// <summary>The relay closes on command.</summary>
    Direct,

    /// <summary>The command only allows closing; the tenant must press the meter's button.</summary>
    CloseAllowed,
}
