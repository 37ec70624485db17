namespace Kilowallet.Domain.Tests.Control;

/// <summary>Site time zones used by the tests, from the system's IANA database.</summary>
internal static class Zones
{
    public static TimeZoneInfo Shanghai { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static TimeZoneInfo Berlin { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>An instant given as Shanghai wall-clock time (UTC+8, no daylight saving).</summary>
    public static DateTimeOffset ShanghaiTime(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));
}
