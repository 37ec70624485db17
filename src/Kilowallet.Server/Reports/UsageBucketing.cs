namespace Kilowallet.Server.Reports;

/// <summary>How usage is cut in time: not at all, per UTC hour, per local day of the site, or per local hour of the day (0–23).</summary>
public enum UsageBucketing
{
    None = 0,
    Hour = 1,
    LocalDay = 2,
    LocalHourOfDay = 3,
}
