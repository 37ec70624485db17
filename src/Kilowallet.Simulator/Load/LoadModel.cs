namespace Kilowallet.Simulator.Load;

/// <summary>
/// The load of one supply point as a pure, seeded function of simulated time: constant within each simulated
/// minute (UTC-aligned), so a meter integrates it exactly as Σ P(minute) × overlap. The value for a minute is
/// peak × Σ share·shape(local time) × noise, where the noise multiplies three seeded terms evaluated by hashing
/// (day-to-day ±4 %, smoothed 15-minute value noise ±6 %, per-minute jitter ±2 %), and is capped at 95 % of the
/// power limit so a healthy shop never trips its own meter. Thread-safe (immutable).
/// </summary>
public sealed class LoadModel : ILoadSource
{
    private const long TicksPerMinute = TimeSpan.TicksPerMinute;
    private readonly LoadComponent[] _components;
    private readonly MallCalendar _calendar;
    private readonly double _peakMilliwatts;
    private readonly double _capMilliwatts;
    private readonly ulong _daySeed;
    private readonly ulong _smoothSeed;
    private readonly ulong _jitterSeed;

    /// <param name="peakWatts">Peak power the meter sees (secondary side), W.</param>
    /// <param name="capWatts">Never above this (secondary side), W.</param>
    public LoadModel(FormatProfile profile, double peakWatts, double capWatts, int seed, MallCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(calendar);
        if (!(peakWatts >= 0) || double.IsInfinity(peakWatts))
        {
            throw new ArgumentException($"The peak load must be zero or more watts (got {peakWatts}).", nameof(peakWatts));
        }

        _components = [.. profile.Components];
        _calendar = calendar;
        _peakMilliwatts = peakWatts * 1000.0;
        _capMilliwatts = Math.Max(0, capWatts * 1000.0);
        _daySeed = ValueNoise.Derive(seed, 1);
        _smoothSeed = ValueNoise.Derive(seed, 2);
        _jitterSeed = ValueNoise.Derive(seed, 3);
    }

    public double PeakWatts => _peakMilliwatts / 1000.0;

    public long PieceEnd(long utcTicks) => (Math.DivRem(utcTicks, TicksPerMinute, out var r) + (r < 0 ? 0 : 1)) * TicksPerMinute;

    public LoadSample Sample(long utcTicks)
    {
        var minute = utcTicks / TicksPerMinute;
        var moment = _calendar.Local(minute * TicksPerMinute);
        double p = 0, q = 0;
        foreach (var component in _components)
        {
            var share = component.Share * LoadShapes.Evaluate(component, moment, _calendar);
            p += share;
            q += share * component.TanPhi;
        }

        var noise = 1.0
            + (0.04 * ValueNoise.Unit(_daySeed, moment.DayNumber))
            + (0.06 * ValueNoise.Smooth(_smoothSeed, minute, 15))
            + (0.02 * ValueNoise.Unit(_jitterSeed, minute));
        var milliwatts = Math.Min(_capMilliwatts, _peakMilliwatts * p * noise);
        var scale = p > 0 ? milliwatts / p : 0;
        return new LoadSample((long)Math.Round(milliwatts), q * scale);
    }
}
