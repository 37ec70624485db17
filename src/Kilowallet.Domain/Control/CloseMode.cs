namespace Kilowallet.Domain.Control;

/// <summary>How a meter's relay closes, from its profile.</summary>
public enum CloseMode
{
    /// <summary>The close command closes the relay.</summary>
    Direct = 0,

    /// <summary>The command only allows closing; the tenant presses the button on the meter to restore power.</summary>
    CloseAllowed = 1,
}
