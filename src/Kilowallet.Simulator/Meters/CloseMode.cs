namespace Kilowallet.Simulator.Meters;

/// <summary>What a remote "close" does on a meter with a relay.</summary>
public enum CloseMode
{
    /// <summary>The relay closes at once.</summary>
    Direct = 0,

    /// <summary>"Close allowed" (DL/T 645 N1 = 1B): the relay closes when the tenant presses the meter's button.</summary>
    ButtonAfterAllow = 1,
}
