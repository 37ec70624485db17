namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// Re-rating, the explicit way to change history: rate past intervals again under a (new) timeline and
/// compare with what was charged, per local date and band. Pure: the server posts
/// <see cref="RerateLine.Difference"/>s as audited adjustments.
/// </summary>
public static class Rerating
{
    /// <summary>
    /// Compares <paramref name="charged"/> (the slices stored when the intervals were first rated) with
    /// <paramref name="intervals"/> rated by <paramref name="rater"/>. Each request keeps its recorded
    /// month-to-date energy, which does not depend on prices.
    /// </summary>
    public static RerateReport Compare(IEnumerable<RatedSlice> charged, IEnumerable<RatingRequest> intervals, TariffRater rater, RatingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(charged);
        ArgumentNullException.ThrowIfNull(intervals);
        ArgumentNullException.ThrowIfNull(rater);
        ArgumentNullException.ThrowIfNull(policy);
        var buffer = new RatedSliceBuffer();
        var problems = new List<RerateProblem>();
        foreach (var interval in intervals)
        {
            var result = rater.Rate(interval, policy, buffer);
            if (result.Outcome != RatingOutcome.Rated)
            {
                problems.Add(new RerateProblem(interval, result));
            }
        }

        var lines = new SortedDictionary<(DateOnly, TariffBand), (long OldWh, decimal Old, long NewWh, decimal New)>();
        foreach (var slice in charged)
        {
            var line = lines.GetValueOrDefault((slice.LocalDate, slice.Band));
            lines[(slice.LocalDate, slice.Band)] = line with { OldWh = line.OldWh + slice.EnergyWh, Old = line.Old + slice.Amount.Amount };
        }

        foreach (var slice in buffer)
        {
            var line = lines.GetValueOrDefault((slice.LocalDate, slice.Band));
            lines[(slice.LocalDate, slice.Band)] = line with { NewWh = line.NewWh + slice.EnergyWh, New = line.New + slice.Amount.Amount };
        }

        return new RerateReport(
            [.. lines.Select(l => new RerateLine(l.Key.Item1, l.Key.Item2, l.Value.OldWh, new Money(l.Value.Old), l.Value.NewWh, new Money(l.Value.New)))],
            problems);
    }

    /// <summary>Compares two timelines over the same intervals (what-if before a re-rating).</summary>
    public static RerateReport Compare(IEnumerable<RatingRequest> intervals, TariffRater oldRater, TariffRater newRater, RatingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(oldRater);
        var list = intervals.ToList();
        var before = new RatedSliceBuffer();
        foreach (var interval in list)
        {
            oldRater.Rate(interval, policy, before);
        }

        return Compare(before, list, newRater, policy);
    }
}
