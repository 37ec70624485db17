using System.Globalization;

namespace Kilowallet.Server.Reports;

/// <summary>
/// A table of a report as every output shows it (HTML, JSON, CSV, Excel): columns and rows of cells —
/// strings, whole numbers, decimals (exact; money rounded only when shown), dates — and a note such
/// as the formula behind it.
/// </summary>
public sealed class ReportTable(string name, string title, IReadOnlyList<ReportColumn> columns)
{
    public string Name { get; } = name;

    public string Title { get; } = title;

    public IReadOnlyList<ReportColumn> Columns { get; } = columns;

    public List<object?[]> Rows { get; } = [];

    public string? Note { get; set; }

    public void Add(params object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != Columns.Count)
        {
            throw new ArgumentException($"Table {Name} has {Columns.Count} columns, not {cells.Length}.", nameof(cells));
        }

        Rows.Add(cells);
    }

    /// <summary>A cell as people read it: kWh to 3 decimals, money to 2 (rounded half away from zero), percentages to 1.</summary>
    public static string Format(object? value, ColumnKind kind, IFormatProvider? culture = null)
    {
        culture ??= CultureInfo.InvariantCulture;
        return value switch
        {
            null => string.Empty,
            decimal d => kind switch
            {
                ColumnKind.Money => Domain.MoneyRounding.ForDisplay(new Domain.Money(d)).Amount.ToString("#,0.00", culture),
                ColumnKind.Energy => decimal.Round(d, 3, MidpointRounding.AwayFromZero).ToString("#,0.000", culture),
                ColumnKind.Power => decimal.Round(d, 2, MidpointRounding.AwayFromZero).ToString("#,0.00", culture),
                ColumnKind.Percent => decimal.Round(d, 1, MidpointRounding.AwayFromZero).ToString("0.0", culture) + "%",
                ColumnKind.Price => decimal.Round(d, 4, MidpointRounding.AwayFromZero).ToString("0.0000", culture),
                _ => d.ToString(culture),
            },
            long or int => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString("#,0", culture),
            DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            bool flag => flag ? "⚑" : string.Empty,
            _ => Convert.ToString(value, culture) ?? string.Empty,
        };
    }

    /// <summary>A cell for files (CSV, Excel): plain invariant numbers, money to 2 decimals, no grouping.</summary>
    public static string Plain(object? value, ColumnKind kind) => value switch
    {
        null => string.Empty,
        decimal d => kind switch
        {
            ColumnKind.Money => Domain.MoneyRounding.ForDisplay(new Domain.Money(d)).Amount.ToString("0.00", CultureInfo.InvariantCulture),
            ColumnKind.Energy => decimal.Round(d, 3, MidpointRounding.AwayFromZero).ToString("0.000", CultureInfo.InvariantCulture),
            ColumnKind.Power => decimal.Round(d, 3, MidpointRounding.AwayFromZero).ToString("0.000", CultureInfo.InvariantCulture),
            ColumnKind.Percent => decimal.Round(d, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture),
            ColumnKind.Price => decimal.Round(d, 6, MidpointRounding.AwayFromZero).ToString("0.######", CultureInfo.InvariantCulture),
            _ => d.ToString(CultureInfo.InvariantCulture),
        },
        long or int => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? "yes" : "no",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
