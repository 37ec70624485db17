namespace Kilowallet.Server.Metering;

public enum MeterStatus
{
    /// <summary>Installed and read.</summary>
    Active = 0,

    /// <summary>Installed but not read (commissioning, maintenance).</summary>
    Inactive = 1,

    /// <summary>Removed from service; kept for history.</summary>
    Decommissioned = 2,
}
