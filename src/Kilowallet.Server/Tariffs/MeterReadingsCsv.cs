using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Admin;

namespace Kilowallet.Server.Tariffs;

/// <summary>
/// A meter's cumulative readings as CSV (docs/tariffs.md): a header row, then one reading per line.
/// Columns: <c>time</c> (ISO 8601 with its offset, e.g. 2026-07-01T10:00:00+08:00), <c>kwh</c> (the
/// cumulative total register), and optionally all four of <c>sharp_kwh</c>, <c>peak_kwh</c>,
/// <c>flat_kwh</c>, <c>valley_kwh</c> (the meter's own TOU registers, then trusted). Register values
/// are multiplied by the CT and PT ratios and rounded to whole watt-hours, once, here: rounding the
/// cumulative value (not each difference) keeps the total exact.
/// </summary>
public static class MeterReadingsCsv
{
    public const string Time = "time";
    public const string Total = "kwh";

    private static readonly string[] BandColumns = ["sharp_kwh", "peak_kwh", "flat_kwh", "valley_kwh"];
    private static readonly string[] TimeFormats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd HH:mmzzz"];

    public static (IReadOnlyList<(int Line, CumulativeReading Reading)> Readings, IReadOnlyList<string> Errors) Parse(string text, string fileName, decimal ratio)
    {
        var (header, rows, errors) = Csv.Parse(text, fileName);
        var problems = errors.ToList();
        var readings = new List<(int, CumulativeReading)>();
        if (problems.Count > 0)
        {
            return (readings, problems);
        }

        var known = BandColumns.Append(Time).Append(Total).ToHashSet(StringComparer.Ordinal);
        foreach (var unknown in header.Where(h => !known.Contains(h)))
        {
            problems.Add($"{fileName} line 1: unknown column '{unknown}'; the columns are time, kwh and optionally sharp_kwh, peak_kwh, flat_kwh, valley_kwh.");
        }

        foreach (var required in new[] { Time, Total }.Where(c => !header.Contains(c)))
        {
            problems.Add($"{fileName} line 1: the column '{required}' is missing.");
        }

        var bandColumns = BandColumns.Count(header.Contains);
        if (bandColumns is not (0 or 4))
        {
            problems.Add($"{fileName} line 1: per-band registers need all four columns sharp_kwh, peak_kwh, flat_kwh, valley_kwh.");
        }

        if (problems.Count > 0)
        {
            return (readings, problems);
        }

        foreach (var row in rows)
        {
            var at = ParseTime(row, fileName, problems);
            var total = ParseWattHours(row, Total, ratio, fileName, problems);
            BandEnergyWh? bands = null;
            if (bandColumns == 4)
            {
                var values = BandColumns.Select(c => ParseWattHours(row, c, ratio, fileName, problems)).ToArray();
                if (values.All(v => v is not null))
                {
                    bands = new BandEnergyWh(values[0]!.Value, values[1]!.Value, values[2]!.Value, values[3]!.Value);
                }
            }

            if (at is { } instant && total is { } wattHours)
            {
                readings.Add((row.Line, new CumulativeReading(instant, wattHours, bands)));
            }
        }

        return (readings, problems);
    }

    private static DateTimeOffset? ParseTime(CsvRow row, string fileName, List<string> problems)
    {
        var text = row[Time];
        if (text is not null && text.EndsWith('Z'))
        {
            text = text[..^1] + "+00:00";
        }

        if (text is not null && DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return at;
        }

        problems.Add($"{fileName} line {row.Line}, column time: '{row[Time]}' is not a time with its offset (e.g. 2026-07-01T10:00:00+08:00).");
        return null;
    }

    private static long? ParseWattHours(CsvRow row, string column, decimal ratio, string fileName, List<string> problems)
    {
        var text = row[column];
        if (text is null || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var kwh))
        {
            problems.Add($"{fileName} line {row.Line}, column {column}: '{text}' is not a non-negative number of kWh.");
            return null;
        }

        return decimal.ToInt64(decimal.Round(kwh * ratio * EnergyKwh.WattHoursPerKwh, 0, MidpointRounding.AwayFromZero));
    }
}
