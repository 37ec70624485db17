namespace Kilowallet.Simulator.Load;

/// <summary>
/// A format's shape precomputed per minute of the local day, for each (season, weekday/weekend): Σ share·shape and
/// Σ share·shape·tan φ. Depends only on the profile and the mall's opening hours, so meters of one format share it.
/// </summary>
internal sealed class ShapeTable
{
    public const int MinutesPerDay = 1440;
    private readonly double[][] _active;
    private readonly double[][] _reactive;

    public ShapeTable(FormatProfile profile, MallCalendar calendar)
    {
        _active = new double[6][];
        _reactive = new double[6][];
        foreach (var season in Enum.GetValues<Season>())
        {
            foreach (var weekend in new[] { false, true })
            {
                var row = Row(season, weekend);
                _active[row] = new double[MinutesPerDay];
                _reactive[row] = new double[MinutesPerDay];

                // A representative day of that kind: the shapes only look at the hour, the weekday flag and the season.
                var month = season switch { Season.Summer => 7, Season.Winter => 1, _ => 4 };
                var dayOfWeek = weekend ? DayOfWeek.Saturday : DayOfWeek.Wednesday;
                for (var m = 0; m < MinutesPerDay; m++)
                {
                    var moment = new LocalMoment(m / 60.0, dayOfWeek, month, 0);
                    double p = 0, q = 0;
                    foreach (var component in profile.Components)
                    {
                        var share = component.Share * LoadShapes.Evaluate(component, moment, calendar);
                        p += share;
                        q += share * component.TanPhi;
                    }

                    _active[row][m] = p;
                    _reactive[row][m] = q;
                }
            }
        }
    }

    public static int Row(Season season, bool weekend) => ((int)season * 2) + (weekend ? 1 : 0);

    public double Active(int row, int minuteOfDay) => _active[row][minuteOfDay];

    public double Reactive(int row, int minuteOfDay) => _reactive[row][minuteOfDay];
}
