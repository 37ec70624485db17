using System.Globalization;

namespace Kilowallet.Server.Reports;

/// <summary>The period a report uses, and what was wrong with the one asked for (null when nothing was).</summary>
public sealed record ResolvedPeriod(ReportPeriod Period, PeriodProblem? Problem)
{
    /// <summary>The longest period analysed from hourly data at once.</summary>
    public const int MaxDays = 366;

    /// <summary>
    /// Reads "from" and "to" (yyyy-MM-dd, both inclusive, local dates of the site). Nothing given: this
    /// month to date. Unreadable or wholly in the future: the default, with the problem named. Reversed:
    /// swapped. Ending in the future: cut at today. Longer than <see cref="MaxDays"/>: the last
    /// <see cref="MaxDays"/> days up to the end.
    /// </summary>
    public static ResolvedPeriod Resolve(string? from, string? to, DateOnly today, int maxDays = MaxDays)
    {
        var fallback = new ReportPeriod(new DateOnly(today.Year, today.Month, 1), today.AddDays(1));
        if (string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to))
        {
            return new ResolvedPeriod(fallback, null);
        }

        DateOnly? start = Parse(from);
        DateOnly? end = Parse(to);
        if ((!string.IsNullOrWhiteSpace(from) && start is null) || (!string.IsNullOrWhiteSpace(to) && end is null))
        {
            return new ResolvedPeriod(fallback, PeriodProblem.Unreadable);
        }

        var first = start ?? new DateOnly(end!.Value.Year, end.Value.Month, 1);
        var last = end ?? today;
        PeriodProblem? problem = null;
        if (last < first)
        {
            (first, last) = (last, first);
            problem = PeriodProblem.Reversed;
        }

        if (first > today)
        {
            return new ResolvedPeriod(fallback, PeriodProblem.Future);
        }

        if (last > today)
        {
            last = today;
            problem ??= PeriodProblem.EndInFuture;
        }

        if (last.DayNumber - first.DayNumber + 1 > maxDays)
        {
            first = last.AddDays(1 - maxDays);
            problem ??= PeriodProblem.TooLong;
        }

        return new ResolvedPeriod(new ReportPeriod(first, last.AddDays(1)), problem);
    }

    private static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
