namespace Kilowallet.Domain.Tariffs;

/// <summary>Which daily schedule of a season applies to a local date (see <see cref="SiteCalendar.DayTypeOf"/>).</summary>
public enum DayType
{
    Weekday = 0,
    Weekend = 1,
    Holiday = 2,
}
