using Kilowallet.Domain.Tariffs;
using static Kilowallet.Domain.Tests.Tariffs.TariffBuilders;

namespace Kilowallet.Domain.Tests.Tariffs;

/// <summary>
/// Europe/Berlin: clocks go 02:00 CET → 03:00 CEST on 2026-03-29 (a 23-hour day) and 03:00 CEST → 02:00 CET
/// on 2026-10-25 (a 25-hour day). The test schedule puts a band boundary at 02:30, inside both changes.
/// </summary>
public sealed class DaylightSavingTests
{
    private static readonly SiteCalendar Berlin = SiteCalendar.For("Europe/Berlin");

    private readonly TariffRater _rater = new(
        TariffTimeline.For(WithSchedule(TariffPeriod.Of("00:00", "02:30", TariffBand.Valley), TariffPeriod.Of("02:30", "24:00", TariffBand.Flat))),
        Berlin);

    [Fact]
    public void A_spring_forward_night_splits_at_local_midnight_and_the_skipped_boundary_happens_at_the_change()
    {
        // 2026-03-28 22:00 CET (21:00Z) → 2026-03-29 04:00 CEST (02:00Z): 5 real hours, 5,000 Wh.
        //   03-28 22:00–24:00 flat  (21:00Z–23:00Z, 2 h) → 2,000 Wh
        //   03-29 00:00–02:00 valley (23:00Z–01:00Z, 2 h; 02:30 never happens, so valley ends at the change) → 2,000 Wh
        //   03-29 03:00–04:00 flat  (01:00Z–02:00Z, 1 h) → 1,000 Wh
        var rated = _rater.Rate(
            new RatingRequest(Utc("2026-03-28T21:00:00Z"), Utc("2026-03-29T02:00:00Z"), 5000, 0),
            RatingPolicy.EveryMinute);

        Assert.Equal(
            [
                (Date("2026-03-28"), TariffBand.Flat, Utc("2026-03-28T21:00:00Z"), 2000L),
                (Date("2026-03-29"), TariffBand.Valley, Utc("2026-03-28T23:00:00Z"), 2000L),
                (Date("2026-03-29"), TariffBand.Flat, Utc("2026-03-29T01:00:00Z"), 1000L),
            ],
            rated.Slices.Select(s => (s.LocalDate, s.Band, s.Start, s.EnergyWh)));
    }

    [Fact]
    public void A_fall_back_day_lasts_25_hours_and_a_repeated_boundary_happens_at_its_first_occurrence()
    {
        // 2026-10-25 00:00 CEST (10-24 22:00Z) → 10-26 00:00 CET (10-25 23:00Z): 25 h, 25,000 Wh.
        //   valley 00:00–02:30 (first 02:30 is 00:30Z): 2.5 h → 2,500 Wh; flat for the other 22.5 h → 22,500 Wh.
        var rated = _rater.Rate(
            new RatingRequest(Utc("2026-10-24T22:00:00Z"), Utc("2026-10-25T23:00:00Z"), 25_000, 0),
            RatingPolicy.EveryMinute);

        Assert.Equal(
            [(TariffBand.Valley, Utc("2026-10-25T00:30:00Z"), 2500L), (TariffBand.Flat, Utc("2026-10-25T23:00:00Z"), 22_500L)],
            rated.Slices.Select(s => (s.Band, s.End, s.EnergyWh)));
        Assert.All(rated.Slices, s => Assert.Equal(Date("2026-10-25"), s.LocalDate));
    }

    [Fact]
    public void Local_midnight_is_the_day_boundary_in_both_offsets()
    {
        Assert.Equal(Utc("2026-03-28T23:00:00Z"), Berlin.StartOf(Date("2026-03-29")));
        Assert.Equal(Utc("2026-03-29T22:00:00Z"), Berlin.StartOf(Date("2026-03-30")));
        Assert.Equal(Date("2026-03-29"), Berlin.LocalDateOf(Utc("2026-03-28T23:00:00Z")));
        Assert.Equal(Date("2026-03-28"), Berlin.LocalDateOf(Utc("2026-03-28T22:59:59Z")));
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
