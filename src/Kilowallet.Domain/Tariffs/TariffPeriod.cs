namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// One period of a daily schedule: the local wall-clock times [<see cref="Start"/>, <see cref="End"/>)
/// are priced in <see cref="Band"/>. Times are whole minutes. An <see cref="End"/> at or before
/// <see cref="Start"/> wraps past midnight (23:00–07:00 is 23:00–24:00 plus 00:00–07:00), so an end of
/// 00:00 means 24:00, and <c>Start == End</c> covers the whole day.
/// </summary>
public readonly record struct TariffPeriod(TimeOnly Start, TimeOnly End, TariffBand Band)
{
    public const int MinutesPerDay = 24 * 60;

    /// <summary>Start as minutes after local midnight (0–1439).</summary>
    public int StartMinute => (Start.Hour * 60) + Start.Minute;

    /// <summary>End as minutes after local midnight, in (StartMinute, StartMinute + 1440]: past 1440 when the period wraps.</summary>
    public int EndMinute
    {
        get
        {
            var end = (End.Hour * 60) + End.Minute;
            return end <= StartMinute ? end + MinutesPerDay : end;
        }
    }

    public static TariffPeriod Of(string start, string end, TariffBand band) =>
        new(TariffTime.Parse(start), TariffTime.Parse(end), band);

    public override string ToString() => $"{TariffTime.Format(Start, isEnd: false)}–{TariffTime.Format(End, isEnd: true)} {Band}";
}
