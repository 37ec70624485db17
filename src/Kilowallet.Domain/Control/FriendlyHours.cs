using System.Collections.Immutable;

namespace Kilowallet.Domain.Control;

/// <summary>
/// When a site does not cut supply for lack of credit ("friendly hours"): daily local windows
/// (e.g. 20:00–08:00), whole days of the week (e.g. Saturday and Sunday) and holiday dates. All are
/// local times of the site's <see cref="Zone"/>; a cut that falls inside is deferred to
/// <see cref="NextAllowedCut"/>. Holidays are passed in by the caller (the site's calendar).
/// </summary>
public sealed class FriendlyHours
{
    /// <summary>How far ahead <see cref="NextAllowedCut"/> looks before deciding the configuration never allows a cut.</summary>
    private static readonly TimeSpan SearchHorizon = TimeSpan.FromDays(400);

    public FriendlyHours(
        TimeZoneInfo zone,
        IEnumerable<DailyWindow> dailyWindows,
        IEnumerable<DayOfWeek> allDayDays,
        IEnumerable<DateOnly> holidays)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(dailyWindows);
        ArgumentNullException.ThrowIfNull(allDayDays);
        ArgumentNullException.ThrowIfNull(holidays);
        Zone = zone;
        DailyWindows = [.. dailyWindows];
        AllDayDays = [.. allDayDays];
        Holidays = [.. holidays];
        if (DailyWindows.Any(w => w.Start == w.End))
        {
            throw new ArgumentException("A daily window needs different start and end times; for whole days list the days.", nameof(dailyWindows));
        }

        if (AllDayDays.Count == 7)
        {
            throw new ArgumentException("Every day of the week is protected all day, so a cut could never happen.", nameof(allDayDays));
        }
    }

    public TimeZoneInfo Zone { get; }

    public ImmutableArray<DailyWindow> DailyWindows { get; }

    public ImmutableHashSet<DayOfWeek> AllDayDays { get; }

    public ImmutableHashSet<DateOnly> Holidays { get; }

    /// <summary>No friendly hours: a cut is always allowed.</summary>
    public static FriendlyHours None(TimeZoneInfo zone) => new(zone, [], [], []);

    /// <summary>Whether a cut is forbidden at <paramref name="instant"/>.</summary>
    public bool IsProtected(DateTimeOffset instant) => IsProtectedLocal(SiteClock.LocalTime(instant, Zone));

    /// <summary>
    /// The first instant at or after <paramref name="instant"/> at which a cut is allowed: the instant
    /// itself outside friendly hours, otherwise the end of the protected stretch, following windows,
    /// whole days and holidays that run into each other (Friday 20:00 → Monday 08:00).
    /// </summary>
    /// <exception cref="InvalidOperationException">No cut is allowed within 400 days (e.g. a year of holidays).</exception>
    public DateTimeOffset NextAllowedCut(DateTimeOffset instant)
    {
        var candidate = instant;
        while (candidate - instant < SearchHorizon)
        {
            var local = SiteClock.LocalTime(candidate, Zone);
            if (!IsProtectedLocal(local))
            {
                return candidate;
            }

            var next = SiteClock.ToInstant(EndOfProtectionContaining(local), Zone, candidate);
            candidate = next > candidate ? next : candidate.AddMinutes(1);
        }

        throw new InvalidOperationException($"Friendly hours allow no cut within {SearchHorizon.TotalDays} days of {instant:O}.");
    }

    private bool IsProtectedLocal(DateTime local) =>
        IsWholeDayProtected(DateOnly.FromDateTime(local))
        || DailyWindows.Any(w => w.Contains(TimeOnly.FromDateTime(local)));

    private bool IsWholeDayProtected(DateOnly date) => AllDayDays.Contains(date.DayOfWeek) || Holidays.Contains(date);

    /// <summary>The local end of the protection that covers <paramref name="local"/> (one step; the caller chains).</summary>
    private DateTime EndOfProtectionContaining(DateTime local)
    {
        var date = DateOnly.FromDateTime(local);
        if (IsWholeDayProtected(date))
        {
            return date.AddDays(1).ToDateTime(TimeOnly.MinValue);
        }

        var time = TimeOnly.FromDateTime(local);
        return DailyWindows.Where(w => w.Contains(time)).Max(w => w.EndOfOccurrenceContaining(local));
    }
}
