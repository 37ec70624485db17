namespace Kilowallet.Domain.Tariffs;

/// <summary>A meter's cumulative energy register at an instant, in whole watt-hours with CT and PT ratios applied, and optionally its per-band registers.</summary>
public readonly record struct CumulativeReading(DateTimeOffset At, long TotalWh, BandEnergyWh? BandsWh = null);
