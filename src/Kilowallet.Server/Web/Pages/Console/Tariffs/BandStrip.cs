using System.Globalization;
using Kilowallet.Domain.Tariffs;

namespace Kilowallet.Server.Web.Pages.Console.Tariffs;

/// <summary>
/// A daily schedule as the coloured segments of a 24-hour bar: periods that wrap past midnight are
/// split, neighbours of the same band merged. Minutes a schedule leaves uncovered have no band.
/// </summary>
public static class BandStrip
{
    public readonly record struct Segment(int StartMinute, int EndMinute, TariffBand? Band)
    {
        public double StartPercent => StartMinute * 100.0 / TariffPeriod.MinutesPerDay;

        public double WidthPercent => (EndMinute - StartMinute) * 100.0 / TariffPeriod.MinutesPerDay;

        public string Label => Clock(StartMinute) + "–" + Clock(EndMinute);
    }

    public static IReadOnlyList<Segment> Of(IReadOnlyList<TariffPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        var minutes = new TariffBand?[TariffPeriod.MinutesPerDay];
        foreach (var period in periods)
        {
            for (var m = period.StartMinute; m < period.EndMinute; m++)
            {
                minutes[m % TariffPeriod.MinutesPerDay] = period.Band;
            }
        }

        var segments = new List<Segment>();
        var start = 0;
        for (var m = 1; m <= minutes.Length; m++)
        {
            if (m == minutes.Length || minutes[m] != minutes[start])
            {
                segments.Add(new Segment(start, m, minutes[start]));
                start = m;
            }
        }

        return segments;
    }

    /// <summary>The CSS class and text key of a band: "sharp" and "BandSharp".</summary>
    public static string CssClass(TariffBand? band) => band?.ToString().ToLowerInvariant() ?? "none";

    public static string Clock(int minute) => string.Create(CultureInfo.InvariantCulture, $"{minute / 60:00}:{minute % 60:00}");
}
