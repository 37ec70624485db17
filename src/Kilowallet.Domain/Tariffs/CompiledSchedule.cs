namespace Kilowallet.Domain.Tariffs;

/// <summary>A validated daily schedule as runs of one band: run i starts at <see cref="StartMinutes"/>[i] and ends at the next run (or 24:00).</summary>
internal sealed class CompiledSchedule
{
    private CompiledSchedule(int[] startMinutes, TariffBand[] bands)
    {
        StartMinutes = startMinutes;
        Bands = bands;
    }

    public int[] StartMinutes { get; }

    public TariffBand[] Bands { get; }

    public static CompiledSchedule Compile(IReadOnlyList<TariffPeriod> periods)
    {
        var byMinute = new TariffBand[TariffPeriod.MinutesPerDay];
        foreach (var period in periods)
        {
            for (var minute = period.StartMinute; minute < period.EndMinute; minute++)
            {
                byMinute[minute % TariffPeriod.MinutesPerDay] = period.Band;
            }
        }

        var starts = new List<int> { 0 };
        var bands = new List<TariffBand> { byMinute[0] };
        for (var minute = 1; minute < TariffPeriod.MinutesPerDay; minute++)
        {
            if (byMinute[minute] != bands[^1])
            {
                starts.Add(minute);
                bands.Add(byMinute[minute]);
            }
        }

        return new CompiledSchedule([.. starts], [.. bands]);
    }
}
