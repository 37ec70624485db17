namespace Kilowallet.Server.Overview;

/// <summary>How a supply point looks on the overview, most urgent first.</summary>
public enum SupplyState
{
    Alarm = 0,
    Offline = 1,
    Tripped = 2,
    Low = 3,
    Ok = 4,
    NoData = 5,
}
