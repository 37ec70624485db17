namespace Kilowallet.Simulator.Load;

/// <summary>
/// The mall's local time (an IANA zone, default Asia/Shanghai) and opening hours. Immutable and thread-safe;
/// converting an instant costs a few nanoseconds for zones without daylight saving time.
/// </summary>
public sealed class MallCalendar
{
    public const string DefaultTimeZone = "Asia/Shanghai";

    private readonly bool _fixedOffset;
    private readonly long _offsetTicks;

    public MallCalendar(TimeZoneInfo zone, TimeOnly opensAt, TimeOnly closesAt)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (closesAt <= opensAt)
        {
            throw new ArgumentException($"The mall must close after it opens (opens {opensAt:HH:mm}, closes {closesAt:HH:mm}).", nameof(closesAt));
        }

        Zone = zone;
        OpensAt = opensAt;
        ClosesAt = closesAt;
        _fixedOffset = !zone.SupportsDaylightSavingTime && zone.GetAdjustmentRules().Length == 0;
        _offsetTicks = zone.BaseUtcOffset.Ticks;
    }

    /// <summary>Asia/Shanghai, open 10:00–22:00.</summary>
    public static MallCalendar Default { get; } = new(FindZone(DefaultTimeZone), new TimeOnly(10, 0), new TimeOnly(22, 0));

    public TimeZoneInfo Zone { get; }

    public TimeOnly OpensAt { get; }

    public TimeOnly ClosesAt { get; }

    public double OpensHour => OpensAt.ToTimeSpan().TotalHours;

    public double ClosesHour => ClosesAt.ToTimeSpan().TotalHours;

    /// <summary>Finds an IANA (or Windows) zone; refuses an unknown one with a sentence naming it.</summary>
    public static TimeZoneInfo FindZone(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            throw new ArgumentException($"Unknown time zone '{id}'; use an IANA name such as Asia/Shanghai.", nameof(id));
        }
    }

    /// <summary>Local wall-clock ticks of a UTC instant (ticks).</summary>
    public long ToLocalTicks(long utcTicks) =>
        utcTicks + (_fixedOffset ? _offsetTicks : Zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks);

    /// <summary>UTC ticks of a local wall-clock time (ticks); in a daylight-saving gap the later offset is used.</summary>
    public long ToUtcTicks(long localTicks)
    {
        if (_fixedOffset)
        {
            return localTicks - _offsetTicks;
        }

        var local = new DateTime(localTicks, DateTimeKind.Unspecified);
        var offset = Zone.IsInvalidTime(local) ? Zone.GetUtcOffset(local.AddHours(1)) : Zone.GetUtcOffset(local);
        return localTicks - offset.Ticks;
    }

    public LocalMoment Local(long utcTicks)
    {
        var local = ToLocalTicks(utcTicks);
        var day = local / TimeSpan.TicksPerDay;
        var hour = (double)(local - (day * TimeSpan.TicksPerDay)) / TimeSpan.TicksPerHour;
        var dayOfWeek = (DayOfWeek)((day + 1) % 7); // 0001-01-01 was a Monday
        var month = new DateTime(local, DateTimeKind.Unspecified).Month;
        return new LocalMoment(hour, dayOfWeek, month, day);
    }
}
