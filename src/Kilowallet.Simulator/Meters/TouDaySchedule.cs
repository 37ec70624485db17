namespace Kilowallet.Simulator.Meters;

/// <summary>
/// A day of a meter-resident TOU table: up to 14 periods, the first starting at 00:00, starts strictly increasing.
/// A period runs until the next one starts (the last until midnight).
/// </summary>
public sealed class TouDaySchedule
{
    public const int MaxPeriods = 14;
    private readonly long[] _startTicks;
    private readonly TouBand[] _bands;

    public TouDaySchedule(IReadOnlyList<TouPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        if (periods.Count is 0 or > MaxPeriods)
        {
            throw new ArgumentException($"A TOU day must have 1 to {MaxPeriods} periods (got {periods.Count}).", nameof(periods));
        }

        if (periods[0].Start != TimeOnly.MinValue)
        {
            throw new ArgumentException($"The first TOU period must start at 00:00 (got {periods[0].Start:HH:mm}).", nameof(periods));
        }

        for (var i = 1; i < periods.Count; i++)
        {
            if (periods[i].Start <= periods[i - 1].Start)
            {
                throw new ArgumentException($"TOU periods must start in increasing order ({periods[i].Start:HH:mm} follows {periods[i - 1].Start:HH:mm}).", nameof(periods));
            }
        }

        if (periods.Any(p => !Enum.IsDefined(p.Band)))
        {
            throw new ArgumentException("A TOU period names a band that is not sharp, peak, flat or valley.", nameof(periods));
        }

        Periods = [.. periods];
        _startTicks = [.. periods.Select(p => p.Start.Ticks)];
        _bands = [.. periods.Select(p => p.Band)];
    }

    public IReadOnlyList<TouPeriod> Periods { get; }

    /// <summary>The band at a time of day (ticks since midnight) and when its period ends (ticks since midnight, at most one day).</summary>
    public TouBand BandAt(long ticksOfDay, out long periodEndTicksOfDay)
    {
        var i = _startTicks.Length - 1;
        while (_startTicks[i] > ticksOfDay)
        {
            i--;
        }

        periodEndTicksOfDay = i + 1 < _startTicks.Length ? _startTicks[i + 1] : TimeSpan.TicksPerDay;
        return _bands[i];
    }

    /// <summary>"HH:mm band" pairs, e.g. "00:00 valley".</summary>
    public static TouDaySchedule Parse(params (string Start, TouBand Band)[] periods) =>
        new([.. periods.Select(p => new TouPeriod(TimeOnly.ParseExact(p.Start, "HH:mm", System.Globalization.CultureInfo.InvariantCulture), p.Band))]);
}
