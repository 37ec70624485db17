namespace Kilowallet.Domain.Safety;

public enum OverloadPhase
{
    /// <summary>Within limits.</summary>
    Normal = 0,

    /// <summary>Over a limit, not yet for the pickup delay.</summary>
    Exceeding = 1,

    /// <summary>Tripped; waiting for the automatic reclose.</summary>
    Tripped = 2,

    /// <summary>Tripped too often; waiting for an operator reset.</summary>
    LockedOut = 3,
}
