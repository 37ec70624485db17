namespace Kilowallet.Simulator.Load;

/// <summary>Evaluates a <see cref="LoadShape"/> at a local moment. Pure functions of the moment and opening hours.</summary>
internal static class LoadShapes
{
    private const double RampHours = 0.25;

    public static double Evaluate(LoadComponent component, in LocalMoment moment, MallCalendar calendar)
    {
        var h = moment.HourOfDay;
        var open = calendar.OpensHour - component.LeadHours;
        var close = calendar.ClosesHour + component.LagHours;
        return component.Shape switch
        {
            LoadShape.Always => 1.0,
            LoadShape.OpenHours => Window(h, open, close),
            LoadShape.Night => 1.0 - Window(h, open, close),
            LoadShape.Footfall => Window(h, open, close) * Footfall(h) * (moment.IsWeekend ? 1.0 : 0.8),
            LoadShape.Meals => Window(h, open, close) * Meals(h) * (moment.IsWeekend ? 1.0 : 0.85),
            LoadShape.Shows => Window(h, open, close) * Shows(h) * (moment.IsWeekend ? 1.0 : 0.7),
            LoadShape.Cooling => Window(h, open, close) * Cooling(h, moment.Season) * (moment.IsWeekend ? 1.0 : 0.95),
            _ => 0.0,
        };
    }

    /// <summary>1 inside [from, to), 0 outside, with a smooth quarter-hour ramp at each edge.</summary>
    private static double Window(double h, double from, double to) =>
        SmoothStep((h - from) / RampHours) * SmoothStep((to - h) / RampHours);

    private static double SmoothStep(double x) => x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - (2 * x));

    /// <summary>A raised-cosine bump of height 1 at <paramref name="centre"/>, zero beyond ± <paramref name="halfWidth"/>.</summary>
    private static double Bump(double h, double centre, double halfWidth)
    {
        var x = (h - centre) / halfWidth;
        return Math.Abs(x) >= 1 ? 0 : 0.5 * (1 + Math.Cos(Math.PI * x));
    }

    private static double Footfall(double h) =>
        Math.Min(1.0, 0.45 + (0.45 * Bump(h, 12.75, 2.75)) + (0.55 * Bump(h, 19.0, 3.0)));

    // Lunch 11:00–13:30 (centre 12:15), dinner 17:30–20:30 (centre 19:00).
    private static double Meals(double h) => Math.Max(Bump(h, 12.25, 1.25), Bump(h, 19.0, 1.5));

    private static double Shows(double h) =>
        Math.Min(1.0, (0.55 * Bump(h, 15.0, 2.25)) + Bump(h, 20.75, 3.0));

    private static double Cooling(double h, Season season) => season switch
    {
        Season.Summer => 0.8 + (0.2 * Bump(h, 14.5, 5.0)),
        Season.Winter => 0.5 + (0.1 * Bump(h, 10.0, 3.0)),
        _ => 0.2,
    };
}
