using System.Globalization;

namespace Kilowallet.Domain.Tariffs;

/// <summary>Reads and writes schedule times as "HH:mm"; an end of day may be written "24:00" (it is 00:00).</summary>
public static class TariffTime
{
    public static bool TryParse(string? text, out TimeOnly time)
    {
        time = default;
        if (text is null)
        {
            return false;
        }

        if (text == "24:00")
        {
            return true;
        }

        return TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    public static TimeOnly Parse(string text) =>
        TryParse(text, out var time) ? time : throw new FormatException($"'{text}' is not a time of day written HH:mm (00:00–24:00).");

    /// <summary>"HH:mm"; midnight as an end is written "24:00" so a period reads 17:00–24:00.</summary>
    public static string Format(TimeOnly time, bool isEnd) =>
        isEnd && time == TimeOnly.MinValue ? "24:00" : time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
