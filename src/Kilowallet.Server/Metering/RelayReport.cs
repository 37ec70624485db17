namespace Kilowallet.Server.Metering;

/// <summary>The relay state a meter reports (stored as a small integer).</summary>
public enum RelayReport
{
    Unknown = 0,
    Closed = 1,
    Open = 2,
}
