using Kilowallet.Domain.Control;

namespace Kilowallet.Domain.Notifications;

/// <summary>A tenant's daily quiet window in the site's local time, e.g. 22:00–08:00.</summary>
public sealed record QuietHours
{
    public QuietHours(DailyWindow window, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (window.Start == window.End)
        {
            throw new ArgumentException("Quiet hours need different start and end times.", nameof(window));
        }

        Window = window;
        Zone = zone;
    }

    public DailyWindow Window { get; }

    public TimeZoneInfo Zone { get; }

    public bool Contains(DateTimeOffset instant) => Window.Contains(TimeOnly.FromDateTime(SiteClock.LocalTime(instant, Zone)));

    /// <summary>When a message due at <paramref name="instant"/> may be delivered: the instant itself, or the end of the quiet window.</summary>
    public DateTimeOffset DeliveryTime(DateTimeOffset instant)
    {
        if (!Contains(instant))
        {
            return instant;
        }

        var local = SiteClock.LocalTime(instant, Zone);
        return SiteClock.ToInstant(Window.EndOfOccurrenceContaining(local), Zone, instant);
    }
}
