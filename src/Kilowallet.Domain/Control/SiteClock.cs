namespace Kilowallet.Domain.Control;

/// <summary>The one place that turns a site's local wall-clock time into an instant.</summary>
internal static class SiteClock
{
    public static DateTime LocalTime(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(instant, zone).DateTime, DateTimeKind.Unspecified);

    /// <summary>
    /// The instant at which the site's clock shows <paramref name="local"/>. A local time skipped by a
    /// daylight-saving jump maps to the first instant after the gap; a repeated local time maps to its
    /// earliest occurrence after <paramref name="after"/> (or its last occurrence if none is).
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone, DateTimeOffset after)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Gaps are whole minutes in every real zone; walk to the first valid minute.
            var minute = new DateTime(local.Ticks - (local.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Unspecified);
            do
            {
                minute = minute.AddMinutes(1);
            }
            while (zone.IsInvalidTime(minute));

            return new DateTimeOffset(minute, zone.GetUtcOffset(minute));
        }

        if (zone.IsAmbiguousTime(local))
        {
            var candidates = zone.GetAmbiguousTimeOffsets(local)
                .Select(offset => new DateTimeOffset(local, offset))
                .OrderBy(instant => instant)
                .ToList();
            return candidates.FirstOrDefault(instant => instant > after, candidates[^1]);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
