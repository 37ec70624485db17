namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// Rates one meter's cumulative readings in order: each reading closes the interval since the last
/// rated one. The first reading is the baseline (nothing to rate). A duplicate or older reading is
/// ignored. A quarantined interval is left for an operator and rating continues from the new reading
/// (its register value is the new baseline). Keeps the month-to-date energy for ladder blocks.
/// Per-band registers are used when both readings have them and the plan prices those bands (a meter's
/// own TOU split under a flat or ladder plan falls back to splitting by time). One per meter; not thread-safe.
/// </summary>
public sealed class MeterReadingRater
{
    private readonly TariffRater _rater;
    private readonly RatingPolicy _policy;

    /// <param name="rater">The meter's timeline and site calendar.</param>
    /// <param name="policy">The meter's rating policy.</param>
    /// <param name="lastRated">The last rated reading, if any.</param>
    /// <param name="monthToDateWh">The energy of the local month of <paramref name="lastRated"/> up to it.</param>
    public MeterReadingRater(TariffRater rater, RatingPolicy policy, CumulativeReading? lastRated = null, long monthToDateWh = 0)
    {
        ArgumentNullException.ThrowIfNull(rater);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(monthToDateWh);
        _rater = rater;
        _policy = policy;
        LastRated = lastRated;
        MonthToDateWh = monthToDateWh;
    }

    public CumulativeReading? LastRated { get; private set; }

    public long MonthToDateWh { get; private set; }

    public RatingResult Add(CumulativeReading reading, RatedSliceBuffer output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (LastRated is not { } last)
        {
            LastRated = reading;
            return RatingResult.Rated(output.Count, 0, MonthToDateWh, estimated: false);
        }

        var request = new RatingRequest(
            last.At,
            reading.At,
            reading.TotalWh - last.TotalWh,
            MonthToDateWh,
            reading.BandsWh is { } now && last.BandsWh is { } before ? now - before : null);
        var first = output.Count;
        var result = _rater.Rate(request, _policy, output);
        if (result is { Outcome: RatingOutcome.Quarantined, Reason: QuarantineReason.BandWithoutPrice })
        {
            // The meter's own TOU bands do not fit the plan (e.g. a flat or ladder plan): split by time instead.
            output.Truncate(first);
            result = _rater.Rate(request with { BandEnergy = null }, _policy, output);
        }

        switch (result.Outcome)
        {
            case RatingOutcome.Rated:
                LastRated = reading;
                MonthToDateWh = result.MonthToDateWhAtEnd;
                break;
            case RatingOutcome.Quarantined:
                var calendar = _rater.Calendar;
                var (from, to) = (calendar.LocalDateOf(last.At), calendar.LocalDateOf(reading.At));
                MonthToDateWh = from.Year == to.Year && from.Month == to.Month ? MonthToDateWh : 0;
                LastRated = reading;
                break;
            default:
                break;
        }

        return result;
    }
}
