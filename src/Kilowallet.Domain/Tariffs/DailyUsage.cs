namespace Kilowallet.Domain.Tariffs;

/// <summary>A local date's usage per band.</summary>
public sealed record DailyUsage(DateOnly Date, UsageTotals Totals);
