namespace Kilowallet.Server.Reports;

/// <summary>Local dates of a site, half-open: [<see cref="From"/>, <see cref="Until"/>). People see the last day inclusive.</summary>
public sealed record ReportPeriod(DateOnly From, DateOnly Until)
{
    public int Days => Until.DayNumber - From.DayNumber;

    public DateOnly LastDay => Until.AddDays(-1);

    /// <summary>
    /// The period to compare with: the same days of the previous month when the period starts on the
    /// first of a month and stays within it (a month, or a month to date); otherwise as many days just before.
    /// </summary>
    public ReportPeriod Previous
    {
        get
        {
            if (From.Day == 1 && LastDay.Month == From.Month && LastDay.Year == From.Year)
            {
                var start = From.AddMonths(-1);
                var end = start.AddDays(Math.Min(Days, DateTime.DaysInMonth(start.Year, start.Month)));
                return new ReportPeriod(start, end);
            }

            return new ReportPeriod(From.AddDays(-Days), From);
        }
    }

    public static ReportPeriod Month(int year, int month) => new(new DateOnly(year, month, 1), new DateOnly(year, month, 1).AddMonths(1));

    /// <summary>The UTC instants of the period's first and end midnights in <paramref name="zone"/>.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Instants(TimeZoneInfo zone) => (Midnight(From, zone), Midnight(Until, zone));

    /// <summary>The instant a local date begins (the first valid minute when a daylight-saving jump skips midnight).</summary>
    public static DateTimeOffset Midnight(DateOnly date, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    public override string ToString() => $"{From:yyyy-MM-dd} … {LastDay:yyyy-MM-dd}";
}
