namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// One local date of a timeline resolved to UTC: the day's instants, the version in force, and its
/// band segments as UTC ticks. Segment i runs from <see cref="SegmentStarts"/>[i] to the next start
/// (or <see cref="EndTicks"/>). Built once per date and cached by the rater; immutable.
/// </summary>
internal sealed class DayPlan
{
    private DayPlan(DateOnly date, long startTicks, long endTicks, CompiledVersion? version, long[] segmentStarts, TariffBand[] bands)
    {
        Date = date;
        StartTicks = startTicks;
        EndTicks = endTicks;
        Version = version;
        SegmentStarts = segmentStarts;
        Bands = bands;
        MonthKey = (date.Year * 12) + date.Month;
        IsLastDayOfMonth = date.Day == DateTime.DaysInMonth(date.Year, date.Month);
    }

    public DateOnly Date { get; }

    public long StartTicks { get; }

    public long EndTicks { get; }

    public CompiledVersion? Version { get; }

    public long[] SegmentStarts { get; }

    public TariffBand[] Bands { get; }

    public int MonthKey { get; }

    public bool IsLastDayOfMonth { get; }

    public static DayPlan Build(DateOnly date, TariffTimeline timeline, SiteCalendar calendar)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue);
        var start = calendar.UtcTicksOf(midnight);
        var end = Math.Max(start, calendar.UtcTicksOf(midnight.AddDays(1)));
        var version = timeline.VersionOn(date);
        if (version is null)
        {
            return new DayPlan(date, start, end, null, [], []);
        }

        var schedule = version.ScheduleFor(date.Month, calendar.DayTypeOf(date));
        var starts = new List<long>(schedule.StartMinutes.Length);
        var bands = new List<TariffBand>(schedule.StartMinutes.Length);
        for (var i = 0; i < schedule.StartMinutes.Length; i++)
        {
            var segmentStart = i == 0 ? start : Math.Clamp(calendar.UtcTicksOf(midnight.AddMinutes(schedule.StartMinutes[i])), start, end);
            var segmentEnd = i + 1 < schedule.StartMinutes.Length
                ? Math.Clamp(calendar.UtcTicksOf(midnight.AddMinutes(schedule.StartMinutes[i + 1])), start, end)
                : end;
            if (segmentEnd <= segmentStart)
            {
                continue; // a period that falls in a skipped (daylight-saving) hour lasts no time at all
            }

            if (bands.Count > 0 && bands[^1] == schedule.Bands[i])
            {
                continue; // the previous segment runs on
            }

            starts.Add(segmentStart);
            bands.Add(schedule.Bands[i]);
        }

        return new DayPlan(date, start, end, version, [.. starts], [.. bands]);
    }

    /// <summary>The segment containing <paramref name="ticks"/> (which lies in the day).</summary>
    public int SegmentAt(long ticks)
    {
        var index = 0;
        while (index + 1 < SegmentStarts.Length && SegmentStarts[index + 1] <= ticks)
        {
            index++;
        }

        return index;
    }

    public long SegmentEnd(int index) => index + 1 < SegmentStarts.Length ? SegmentStarts[index + 1] : EndTicks;
}
