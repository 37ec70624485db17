namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// One immutable version of a tariff plan, in force from 00:00 local time at the site on
/// <see cref="EffectiveFrom"/> until the next version's. A change to a plan is a new version.
/// </summary>
/// <param name="Number">1 for the first version, then consecutive.</param>
/// <param name="EffectiveFrom">Local date at the site; the version starts at its local midnight.</param>
/// <param name="Prices">Price per kWh of every band the schedules use.</param>
/// <param name="Seasons">Seasons covering each of the 12 months exactly once.</param>
/// <param name="Tiers">Monthly ladder blocks; none means one block with no adder.</param>
/// <param name="FixedCharges">Charges posted daily whatever the energy.</param>
/// <param name="Markup">The service markup; none means the utility price is charged as is.</param>
/// <param name="Note">Free text for operators (e.g. the published tariff it copies).</param>
public sealed record TariffVersion(
    int Number,
    DateOnly EffectiveFrom,
    BandPrices Prices,
    IReadOnlyList<Season> Seasons,
    IReadOnlyList<TariffTier>? Tiers = null,
    IReadOnlyList<FixedCharge>? FixedCharges = null,
    ServiceMarkup? Markup = null,
    string? Note = null)
{
    /// <summary>
    /// The price charged per kWh of <paramref name="band"/> in monthly block <paramref name="tierIndex"/>:
    /// <c>(band price + tier adder + markup per kWh) × (1 + markup percent / 100)</c>, exact. With the
    /// validated decimal limits (4, 4, 4 and 3 places) it has at most 9 decimals, so an energy in whole
    /// watt-hours times it, divided by 1000, has at most 12: see <see cref="MoneyPrecision"/>.
    /// </summary>
    public decimal UnitPrice(TariffBand band, int tierIndex)
    {
        var bandPrice = Prices[band] ?? throw new ArgumentOutOfRangeException(nameof(band), band, $"Version {Number} has no price for {band}.");
        var adder = Tiers is { Count: > 0 } tiers ? tiers[tierIndex].AdderPerKwh : tierIndex == 0 ? 0m : throw new ArgumentOutOfRangeException(nameof(tierIndex));
        var markup = Markup ?? new ServiceMarkup();
        return (bandPrice + adder + markup.PerKwh) * (1m + (markup.Percent / 100m));
    }

    /// <summary>The season containing <paramref name="month"/> (1–12); validation guarantees there is exactly one.</summary>
    public Season SeasonFor(int month)
    {
        foreach (var season in Seasons)
        {
            if (season.Contains(month))
            {
                return season;
            }
        }

        throw new InvalidOperationException($"Version {Number} has no season for month {month}.");
    }

    /// <summary>The number of monthly blocks (at least 1).</summary>
    internal int TierCount => Tiers is { Count: > 0 } tiers ? tiers.Count : 1;
}
