namespace Kilowallet.Simulator.Meters;

/// <summary>
/// A meter-resident TOU table: a normal day schedule and seasons that replace it in some months. The meter splits
/// energy by it on its own clock (which may drift).
/// </summary>
public sealed class TouTable
{
    public TouTable(TouDaySchedule normal, IReadOnlyList<TouSeason>? seasons = null)
    {
        ArgumentNullException.ThrowIfNull(normal);
        Normal = normal;
        Seasons = seasons ?? [];
        if (Seasons.Any(s => s.FromMonth is < 1 or > 12 || s.ToMonth is < 1 or > 12))
        {
            throw new ArgumentException("TOU season months must be between 1 and 12.", nameof(seasons));
        }
    }

    /// <summary>
    /// The default Chinese commercial table: valley 23:00–07:00; flat 07:00–10:00, 15:00–18:00, 21:00–23:00;
    /// peak 10:00–15:00 and 18:00–21:00; in July and August a sharp band 13:00–15:00 (taken out of the peak).
    /// </summary>
    public static TouTable ChineseCommercial { get; } = new(
        TouDaySchedule.Parse(("00:00", TouBand.Valley), ("07:00", TouBand.Flat), ("10:00", TouBand.Peak), ("15:00", TouBand.Flat),
            ("18:00", TouBand.Peak), ("21:00", TouBand.Flat), ("23:00", TouBand.Valley)),
        [
            new TouSeason(7, 8, TouDaySchedule.Parse(("00:00", TouBand.Valley), ("07:00", TouBand.Flat), ("10:00", TouBand.Peak),
                ("13:00", TouBand.Sharp), ("15:00", TouBand.Flat), ("18:00", TouBand.Peak), ("21:00", TouBand.Flat), ("23:00", TouBand.Valley))),
        ]);

    public TouDaySchedule Normal { get; }

    public IReadOnlyList<TouSeason> Seasons { get; }

    public TouDaySchedule ForMonth(int month)
    {
        foreach (var season in Seasons)
        {
            if (season.Contains(month))
            {
                return season.Schedule;
            }
        }

        return Normal;
    }
}
