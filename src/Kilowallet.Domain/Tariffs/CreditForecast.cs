namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// "Days of credit left": the available balance divided by the average daily cost of the last days
/// (7 by default), truncated to one decimal so it never promises more than the balance covers.
/// </summary>
public static class CreditForecast
{
    public const int DefaultDays = 7;

    /// <summary>
    /// <paramref name="available"/> ÷ the mean of <paramref name="dailyCosts"/> (each day's total charges,
    /// energy and fixed), truncated towards zero to 0.1 day. Null when there is no use to go by (no days,
    /// or no cost); 0 when nothing is available. Never negative.
    /// </summary>
    public static decimal? DaysLeft(Money available, IReadOnlyCollection<Money> dailyCosts)
    {
        ArgumentNullException.ThrowIfNull(dailyCosts);
        if (dailyCosts.Count == 0)
        {
            return null;
        }

        var average = dailyCosts.Sum(c => c.Amount) / dailyCosts.Count;
        if (average <= 0m)
        {
            return null;
        }

        if (available.Amount <= 0m)
        {
            return 0m;
        }

        return decimal.Round(available.Amount / average, 1, MidpointRounding.ToZero);
    }

    /// <summary>The energy cost of each of the <paramref name="days"/> complete local dates before <paramref name="today"/>, oldest first.</summary>
    public static Money[] DailyCosts(IEnumerable<RatedSlice> slices, DateOnly today, int days = DefaultDays)
    {
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var first = today.AddDays(-days);
        var costs = new decimal[days];
        foreach (var slice in slices)
        {
            if (slice.LocalDate >= first && slice.LocalDate < today)
            {
                costs[slice.LocalDate.DayNumber - first.DayNumber] += slice.Amount.Amount;
            }
        }

        return [.. costs.Select(c => new Money(c))];
    }

    /// <summary>Days left from the energy cost of the last <see cref="DefaultDays"/> complete days.</summary>
    public static decimal? DaysLeft(Money available, IEnumerable<RatedSlice> slices, DateOnly today) =>
        DaysLeft(available, DailyCosts(slices, today));
}
