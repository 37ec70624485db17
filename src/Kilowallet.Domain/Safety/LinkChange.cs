namespace Kilowallet.Domain.Safety;

public enum LinkChange
{
    None = 0,
    WentOffline = 1,

    /// <summary>Back online after being offline (not reported for the first contact after start-up).</summary>
    CameOnline = 2,
}
