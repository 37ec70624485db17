using System.Globalization;
using Kilowallet.Domain.Control;

namespace Kilowallet.Server.Control;

/// <summary>
/// The stored and API text of friendly hours: windows "20:00-08:00" (several joined by ';') and days
/// "saturday,sunday". Parsing throws <see cref="FormatException"/> with a sentence naming what is wrong.
/// </summary>
public static class FriendlyHoursText
{
    public static IReadOnlyList<DailyWindow> ParseWindows(string? text)
    {
        var windows = new List<DailyWindow>();
        foreach (var part in (text ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                throw new FormatException($"The window '{part}' is not written as HH:mm-HH:mm.");
            }

            windows.Add(Window(part[..dash], part[(dash + 1)..]));
        }

        return windows;
    }

    public static DailyWindow Window(string start, string end)
    {
        var from = Time(start);
        var to = Time(end);
        return from == to
            ? throw new FormatException($"The window {start}-{end} starts and ends at the same time; list whole days as days.")
            : new DailyWindow(from, to);
    }

    public static TimeOnly Time(string? text) =>
        TimeOnly.TryParseExact(text?.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new FormatException($"'{text}' is not a time of day written as HH:mm.");

    public static IReadOnlyList<DayOfWeek> ParseDays(string? text)
    {
        var days = new List<DayOfWeek>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            days.Add(Day(part));
        }

        return days.Distinct().ToList();
    }

    public static DayOfWeek Day(string text) =>
        Enum.TryParse<DayOfWeek>(text, ignoreCase: true, out var day) && Enum.IsDefined(day) && !int.TryParse(text, out _)
            ? day
            : throw new FormatException($"'{text}' is not a day of the week (monday … sunday).");

    public static string FormatWindows(IEnumerable<DailyWindow> windows) =>
        string.Join(';', windows.Select(w => Format(w.Start) + "-" + Format(w.End)));

    public static string FormatDays(IEnumerable<DayOfWeek> days) =>
        string.Join(',', days.Distinct().Order().Select(DayCode));

    public static string Format(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string DayCode(DayOfWeek day) => day.ToString().ToLowerInvariant();
}
