namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// The months <see cref="FromMonth"/> to <see cref="ToMonth"/> (inclusive, 1–12; may wrap the year, e.g.
/// 11 to 2) and their daily schedules. The weekend schedule defaults to the weekday one; the holiday
/// schedule defaults to the weekend one.
/// </summary>
public sealed record Season(
    string Name,
    int FromMonth,
    int ToMonth,
    IReadOnlyList<TariffPeriod> Weekday,
    IReadOnlyList<TariffPeriod>? Weekend = null,
    IReadOnlyList<TariffPeriod>? Holiday = null)
{
    public bool Contains(int month) =>
        FromMonth <= ToMonth ? month >= FromMonth && month <= ToMonth : month >= FromMonth || month <= ToMonth;

    /// <summary>The schedule for a day type, with the documented defaults applied.</summary>
    public IReadOnlyList<TariffPeriod> ScheduleFor(DayType dayType) => dayType switch
    {
        DayType.Holiday => Holiday ?? Weekend ?? Weekday,
        DayType.Weekend => Weekend ?? Weekday,
        _ => Weekday,
    };
}
