namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// A piece of an interval priced at one unit price: one band, block, plan version and local date.
/// <see cref="Amount"/> is exact (<see cref="EnergyWh"/> × <see cref="UnitPrice"/> / 1000, at most 12
/// decimals) and is never rounded here: see <see cref="MoneyPrecision"/> and <see cref="MoneyRounding"/>.
/// </summary>
/// <param name="Start">UTC start of the slice (inclusive).</param>
/// <param name="End">UTC end of the slice (exclusive).</param>
/// <param name="LocalDate">The site's local date of the slice.</param>
/// <param name="Band">The time-of-use band.</param>
/// <param name="Version">The plan version that priced it.</param>
/// <param name="TierIndex">The monthly block (0 for the first, or when the plan has no ladder).</param>
/// <param name="EnergyWh">Whole watt-hours (never zero: empty slices are not produced).</param>
/// <param name="UnitPrice">Price per kWh, markup included.</param>
/// <param name="Amount">Exact charge.</param>
/// <param name="Estimated">The energy was spread over a gap in the readings.</param>
public readonly record struct RatedSlice(
    DateTimeOffset Start,
    DateTimeOffset End,
    DateOnly LocalDate,
    TariffBand Band,
    TariffVersionKey Version,
    int TierIndex,
    long EnergyWh,
    decimal UnitPrice,
    Money Amount,
    bool Estimated);
