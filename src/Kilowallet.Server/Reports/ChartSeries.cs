namespace Kilowallet.Server.Reports;

/// <summary>A named series of a chart, its colour (CSS colour) and one value per label.</summary>
public sealed record ChartSeries(string Name, string Color, IReadOnlyList<decimal> Values);
