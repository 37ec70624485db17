namespace Kilowallet.Domain.Tariffs;

/// <summary>Sums rated slices per band: today's and this month's use and cost, per day, or over any local dates. Amounts stay exact.</summary>
public static class UsageSummary
{
    /// <summary>The slices of local dates in [<paramref name="from"/>, <paramref name="until"/>).</summary>
    public static UsageTotals Between(IEnumerable<RatedSlice> slices, DateOnly from, DateOnly until) =>
        Total(slices.Where(s => s.LocalDate >= from && s.LocalDate < until));

    public static UsageTotals Today(IEnumerable<RatedSlice> slices, DateOnly today) => Between(slices, today, today.AddDays(1));

    /// <summary>From the first of <paramref name="today"/>'s month up to and including today.</summary>
    public static UsageTotals MonthToDate(IEnumerable<RatedSlice> slices, DateOnly today) =>
        Between(slices, new DateOnly(today.Year, today.Month, 1), today.AddDays(1));

    public static UsageTotals Total(IEnumerable<RatedSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        Span<long> energy = stackalloc long[4];
        Span<decimal> amount = stackalloc decimal[4];
        foreach (var slice in slices)
        {
            energy[(int)slice.Band] += slice.EnergyWh;
            amount[(int)slice.Band] += slice.Amount.Amount;
        }

        var bands = new BandUsage[4];
        foreach (var band in Enum.GetValues<TariffBand>())
        {
            bands[(int)band] = new BandUsage(band, energy[(int)band], new Money(amount[(int)band]));
        }

        return new UsageTotals(bands);
    }

    /// <summary>Per local date, in date order.</summary>
    public static IReadOnlyList<DailyUsage> ByDay(IEnumerable<RatedSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        return [.. slices.GroupBy(s => s.LocalDate).OrderBy(g => g.Key).Select(g => new DailyUsage(g.Key, Total(g)))];
    }
}
