namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// One interval of a meter to rate, between its last rated reading and a new one.
/// </summary>
/// <param name="Start">The instant of the last rated reading: the interval is [Start, End).</param>
/// <param name="End">The instant of the new reading. Not after <paramref name="Start"/> → ignored (a duplicate or an old reading).</param>
/// <param name="EnergyWh">The register difference in whole watt-hours, CT and PT ratios applied. Negative → quarantined.</param>
/// <param name="MonthToDateWh">The meter's energy in the local month of <paramref name="Start"/> before it (ladder blocks).</param>
/// <param name="BandEnergy">
/// The meter's own per-band register deltas when its profile says to trust them: they replace splitting
/// by time (still split by day, version, month and block). They must add up to <paramref name="EnergyWh"/>.
/// </param>
public readonly record struct RatingRequest(
    DateTimeOffset Start,
    DateTimeOffset End,
    long EnergyWh,
    long MonthToDateWh,
    BandEnergyWh? BandEnergy = null);
