namespace Kilowallet.Server.Reports;

/// <summary>How a report column's values read: text, a count, energy (kWh, 3 decimals), power (kW, 2), money (2), a percentage (1), a date.</summary>
public enum ColumnKind
{
    Text = 0,
    Count = 1,
    Energy = 2,
    Power = 3,
    Money = 4,
    Percent = 5,
    Date = 6,

    /// <summary>A unit price per kWh, 4 decimals.</summary>
    Price = 7,
}
