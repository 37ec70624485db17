namespace Kilowallet.Simulator.Load;

/// <summary>
/// The load of one supply point as a pure, seeded function of simulated time: constant within each simulated
/// minute (UTC-aligned), so a meter integrates it exactly as Σ P(minute) × overlap. The value for a minute is
/// peak × Σ share·shape(local time) × noise, where the noise multiplies three seeded terms evaluated by hashing
/// (day-to-day ±4 %, smoothed 15-minute value noise ±6 %, per-minute jitter ±2 %), and is capped at 95 % of the
/// power limit so a healthy shop never trips its own meter. Thread-safe.
/// </summary>
public sealed class LoadModel : ILoadSource
{
    private const long TicksPerMinute = TimeSpan.TicksPerMinute;
    private readonly ShapeTable _shape;
    private readonly MallCalendar _calendar;
    private readonly double _peakMilliwatts;
    private readonly double _capMilliwatts;
    private readonly ulong _daySeed;
    private readonly ulong _smoothSeed;
    private readonly ulong _jitterSeed;
    private DayInfo _day = new(long.MinValue, 0, 1.0);

    /// <param name="peakWatts">Peak power the meter sees (secondary side), W.</param>
    /// <param name="capWatts">Never above this (secondary side), W.</param>
    public LoadModel(FormatProfile profile, double peakWatts, double capWatts, int seed, MallCalendar calendar)
        : this(new ShapeTable(profile ?? throw new ArgumentNullException(nameof(profile)), calendar ?? throw new ArgumentNullException(nameof(calendar))),
            peakWatts, capWatts, seed, calendar)
    {
    }

    internal LoadModel(ShapeTable shape, double peakWatts, double capWatts, int seed, MallCalendar calendar)
    {
        if (!(peakWatts >= 0) || double.IsInfinity(peakWatts))
        {
            throw new ArgumentException($"The peak load must be zero or more watts (got {peakWatts}).", nameof(peakWatts));
        }

        _shape = shape;
        _calendar = calendar;
        _peakMilliwatts = peakWatts * 1000.0;
        _capMilliwatts = Math.Max(0, capWatts * 1000.0);
        _daySeed = ValueNoise.Derive(seed, 1);
        _smoothSeed = ValueNoise.Derive(seed, 2);
        _jitterSeed = ValueNoise.Derive(seed, 3);
    }

    public double PeakWatts => _peakMilliwatts / 1000.0;

    public long PieceEnd(long utcTicks) => ((utcTicks / TicksPerMinute) + 1) * TicksPerMinute;

    public LoadSample Sample(long utcTicks)
    {
        var minute = utcTicks / TicksPerMinute;
        var localMinute = _calendar.ToLocalTicks(minute * TicksPerMinute) / TicksPerMinute;
        var day = localMinute / ShapeTable.MinutesPerDay;
        var minuteOfDay = (int)(localMinute - (day * ShapeTable.MinutesPerDay));

        // Day-level facts change once a day: keep the last day (an immutable object, so racing readers are harmless).
        var info = _day;
        if (info.Day != day)
        {
            info = new DayInfo(day, ShapeTable.Row(SeasonOf(day), IsWeekend(day)), 0.04 * ValueNoise.Unit(_daySeed, day));
            _day = info;
        }

        var p = _shape.Active(info.Row, minuteOfDay);
        var q = _shape.Reactive(info.Row, minuteOfDay);
        var noise = 1.0 + info.Noise
            + (0.06 * ValueNoise.Smooth(_smoothSeed, minute, 15))
            + (0.02 * ValueNoise.Unit(_jitterSeed, minute));
        var milliwatts = Math.Min(_capMilliwatts, _peakMilliwatts * p * noise);
        var scale = p > 0 ? milliwatts / p : 0;
        return new LoadSample((long)Math.Round(milliwatts), q * scale);
    }

    private static bool IsWeekend(long localDay) => ((localDay + 1) % 7) is 0 or 6; // 0001-01-01 was a Monday

    private static Season SeasonOf(long localDay) =>
        new LocalMoment(0, DayOfWeek.Monday, new DateTime(localDay * TimeSpan.TicksPerDay, DateTimeKind.Unspecified).Month, localDay).Season;

    private sealed record DayInfo(long Day, int Row, double Noise);
}
