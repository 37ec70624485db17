using System.Globalization;
using System.Net;
using System.Text;
using Kilowallet.Domain.Tariffs;

namespace Kilowallet.Server.Reports;

/// <summary>
/// Charts drawn on the server as inline SVG: they show without scripts, print with the page (a
/// printed statement keeps its charts) and need nothing from the internet. Stacked bars (usage by
/// band) and lines (load curves), in the band colours of site.css.
/// </summary>
public static class SvgChart
{
    private const int Left = 52;
    private const int Bottom = 22;
    private const int Top = 10;
    private const int Right = 8;

    /// <summary>The band colours of site.css (--sharp, --peak, --flat, --valley).</summary>
    public static string BandColor(TariffBand band) => band switch
    {
        TariffBand.Sharp => "#b3261e",
        TariffBand.Peak => "#e8710a",
        TariffBand.Flat => "#1a73e8",
        _ => "#188038",
    };

    public static string StackedBars(IReadOnlyList<string> labels, IReadOnlyList<ChartSeries> series, string unit, string title, int width = 640, int height = 220)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(series);
        var totals = labels.Select((_, i) => series.Sum(s => i < s.Values.Count ? Math.Max(0m, s.Values[i]) : 0m)).ToList();
        var max = Nice(totals.Count == 0 ? 0m : totals.Max());
        var svg = Open(width, height, title);
        Grid(svg, width, height, 0m, max);
        var plotW = width - Left - Right;
        var plotH = height - Bottom - Top;
        var barW = plotW / (double)Math.Max(1, labels.Count);
        for (var i = 0; i < labels.Count; i++)
        {
            var y = (double)(Top + plotH);
            foreach (var s in series)
            {
                var v = i < s.Values.Count ? Math.Max(0m, s.Values[i]) : 0m;
                var h = (double)(plotH * v / max);
                if (h <= 0)
                {
                    continue;
                }

                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + (i * barW) + 1:0.##}\" y=\"{y - h:0.##}\" width=\"{Math.Max(1, barW - 2):0.##}\" height=\"{h:0.##}\" fill=\"{s.Color}\"><title>{Escape(labels[i])} {Escape(s.Name)}: {v.ToString("0.###", CultureInfo.InvariantCulture)} {Escape(unit)}</title></rect>");
                y -= h;
            }

            Label(svg, labels, i, Left + (i * barW) + (barW / 2), height);
        }

        Legend(svg, series, width);
        return svg.Append("</svg>").ToString();
    }

    public static string Lines(IReadOnlyList<string> labels, IReadOnlyList<ChartSeries> series, string unit, string title, int width = 640, int height = 220)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(series);
        var all = series.SelectMany(s => s.Values).ToList();
        var max = Nice(all.Count == 0 ? 0m : all.Max());
        var svg = Open(width, height, title);
        Grid(svg, width, height, 0m, max);
        var plotW = width - Left - Right;
        var plotH = height - Bottom - Top;
        double X(int i) => Left + (labels.Count <= 1 ? 0 : plotW * i / (double)(labels.Count - 1));
        double Y(decimal v) => Top + plotH - (double)(plotH * Math.Max(0m, v) / max);
        foreach (var s in series)
        {
            var points = string.Join(' ', s.Values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{X(i):0.#},{Y(v):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.6\"><title>{Escape(s.Name)} ({Escape(unit)})</title></polyline>");
        }

        for (var i = 0; i < labels.Count; i++)
        {
            Label(svg, labels, i, X(i), height);
        }

        Legend(svg, series, width);
        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Open(int width, int height, string title) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\"><title>{Escape(title)}</title>");

    private static void Grid(StringBuilder svg, int width, int height, decimal min, decimal max)
    {
        var plotH = height - Bottom - Top;
        for (var g = 0; g <= 4; g++)
        {
            var y = Top + plotH - (plotH * g / 4.0);
            var value = min + ((max - min) * g / 4m);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#e5e9f0\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"10\" fill=\"#667085\">{Axis(value)}</text>");
        }
    }

    private static void Label(StringBuilder svg, IReadOnlyList<string> labels, int i, double x, int height)
    {
        var every = (int)Math.Ceiling(labels.Count / 12.0);
        if (every <= 1 || i % every == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{height - 6}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#667085\">{Escape(labels[i])}</text>");
        }
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<ChartSeries> series, int width)
    {
        if (series.Count < 2)
        {
            return;
        }

        var x = width - Right - (series.Count * 78);
        foreach (var s in series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"2\" width=\"9\" height=\"9\" fill=\"{s.Color}\"/><text x=\"{x + 12}\" y=\"10\" font-size=\"10\" fill=\"#1c2430\">{Escape(s.Name.Length > 11 ? s.Name[..11] : s.Name)}</text>");
            x += 78;
        }
    }

    private static decimal Nice(decimal max)
    {
        if (max <= 0m)
        {
            return 1m;
        }

        var magnitude = (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)max)));
        foreach (var step in new[] { 1m, 2m, 2.5m, 5m, 10m })
        {
            if (step * magnitude >= max)
            {
                return step * magnitude;
            }
        }

        return 10m * magnitude;
    }

    private static string Axis(decimal value) =>
        value >= 1000m ? (value / 1000m).ToString("0.#", CultureInfo.InvariantCulture) + "k" : value.ToString(value < 10m ? "0.##" : "0", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
