using System.Collections.Frozen;

namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// The one boundary between instants (UTC) and the site's local wall-clock time: its IANA time zone
/// and its holiday calendar. Tariff windows, days and months are local; everything else is UTC.
/// <para>
/// A local time is converted to the <b>first instant at which the site's clock reads that time or
/// later</b>. Outside daylight-saving changes that is the plain conversion; a time skipped by a
/// spring-forward change maps to the instant of the change, and a time that happens twice (fall-back)
/// maps to its first occurrence. The rule is monotone, so local days and tariff periods always map to
/// consecutive, non-overlapping UTC intervals (a 23- or 25-hour day is simply shorter or longer).
/// </para>
/// </summary>
public sealed class SiteCalendar
{
    private readonly FrozenSet<DateOnly> _holidays;
    private readonly FrozenSet<DateOnly> _workingWeekendDays;

    /// <param name="timeZone">The site's time zone (e.g. Asia/Shanghai).</param>
    /// <param name="holidays">Local dates priced with the holiday schedule.</param>
    /// <param name="workingWeekendDays">Saturdays or Sundays that are working days (China's 调休 make-up days), priced as weekdays.</param>
    public SiteCalendar(TimeZoneInfo timeZone, IEnumerable<DateOnly>? holidays = null, IEnumerable<DateOnly>? workingWeekendDays = null)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        TimeZone = timeZone;
        _holidays = (holidays ?? []).ToFrozenSet();
        _workingWeekendDays = (workingWeekendDays ?? []).ToFrozenSet();
    }

    public TimeZoneInfo TimeZone { get; }

    public IReadOnlySet<DateOnly> Holidays => _holidays;

    /// <summary>A calendar for an IANA zone id (e.g. "Asia/Shanghai").</summary>
    public static SiteCalendar For(string timeZoneId, IEnumerable<DateOnly>? holidays = null, IEnumerable<DateOnly>? workingWeekendDays = null) =>
        new(TimeZoneInfo.FindSystemTimeZoneById(timeZoneId), holidays, workingWeekendDays);

    /// <summary>Holiday if listed as one; weekend on Saturday and Sunday unless listed as a working day; otherwise weekday.</summary>
    public DayType DayTypeOf(DateOnly date)
    {
        if (_holidays.Contains(date))
        {
            return DayType.Holiday;
        }

        return date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && !_workingWeekendDays.Contains(date)
            ? DayType.Weekend
            : DayType.Weekday;
    }

    /// <summary>The site's local date at <paramref name="instant"/>.</summary>
    public DateOnly LocalDateOf(DateTimeOffset instant) => DateOnly.FromDateTime(LocalDateTimeOf(instant));

    /// <summary>The site's wall-clock reading at <paramref name="instant"/>.</summary>
    public DateTime LocalDateTimeOf(DateTimeOffset instant) => TimeZoneInfo.ConvertTimeFromUtc(instant.UtcDateTime, TimeZone);

    /// <summary>The instant the local date starts (its midnight, by the rule above).</summary>
    public DateTimeOffset StartOf(DateOnly date) => InstantOf(date.ToDateTime(TimeOnly.MinValue));

    /// <summary>The first instant at which the site's clock reads <paramref name="local"/> or later.</summary>
    public DateTimeOffset InstantOf(DateTime local) => new(UtcTicksOf(local), TimeSpan.Zero);

    internal long UtcTicksOf(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (TimeZone.IsAmbiguousTime(local))
        {
            var latestOffset = TimeZone.GetAmbiguousTimeOffsets(local).Max();
            return local.Ticks - latestOffset.Ticks;
        }

        if (!TimeZone.IsInvalidTime(local))
        {
            return local.Ticks - TimeZone.GetUtcOffset(local).Ticks;
        }

        // Skipped by a spring-forward change: the first instant whose wall clock reads at least
        // `local` is the change itself. Every offset lies within ±15 h, so it is in this window, and
        // the wall clock only moves forward there (no fall-back happens within hours of a spring-forward).
        var low = local.Ticks - TimeSpan.FromHours(15).Ticks;
        var high = local.Ticks + TimeSpan.FromHours(15).Ticks;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (WallClockTicksAt(middle) >= local.Ticks)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private long WallClockTicksAt(long utcTicks) =>
        utcTicks + TimeZone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;
}
