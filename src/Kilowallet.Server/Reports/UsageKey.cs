namespace Kilowallet.Server.Reports;

/// <summary>What usage is summed per: each meter, each paying account, each area (of the meter's shop), or the whole site.</summary>
public enum UsageKey
{
    Meter = 0,
    Account = 1,
    Area = 2,
    Site = 3,
}
