using Kilowallet.Domain.Tariffs;
using static Kilowallet.Domain.Tests.Tariffs.TariffBuilders;

namespace Kilowallet.Domain.Tests.Tariffs;

/// <summary>Intervals rated by hand, then by the rater. Asia/Shanghai (UTC+8, no daylight saving) unless stated.</summary>
public sealed class WorkedExampleTests
{
    private readonly TariffRater _tou = Rater(ExamplePlans.CommercialTimeOfUse(), ShanghaiCalendar("2026-10-01"));

    [Fact]
    public void A_summer_morning_crosses_all_four_bands()
    {
        // Wed 2026-07-01 06:00–12:00, 6,001 Wh at constant power (6 h):
        //   valley 06–07 (1 h): 6001×1/6 = 1000.17 → 1000 Wh × 0.35 = 0.35
        //   flat   07–08 (1 h): 1000.17          → 1000 Wh × 0.70 = 0.70
        //   peak   08–11 (3 h): 6001×3/6 = 3000.5 → 3001 Wh × 1.20 = 3.6012  (largest remainder gets the odd Wh)
        //   sharp  11–12 (1 h): 1000.17          → 1000 Wh × 1.44 = 1.44
        //   total 6,001 Wh, 6.0912
        var readEveryQuarterDay = new RatingPolicy(TimeSpan.FromHours(6), estimatedAfterMultiple: 1);

        var rated = _tou.Rate("2026-07-01 06:00", "2026-07-01 12:00", 6001, policy: readEveryQuarterDay);

        Assert.Equal(RatingOutcome.Rated, rated.Outcome);
        Assert.Equal(
            [(TariffBand.Valley, 1000L, 0.35m), (TariffBand.Flat, 1000L, 0.70m), (TariffBand.Peak, 3001L, 3.6012m), (TariffBand.Sharp, 1000L, 1.44m)],
            rated.Slices.Select(s => (s.Band, s.EnergyWh, s.Amount.Amount)));
        Assert.Equal(6.0912m, rated.Amount.Amount);
        Assert.Equal(Local("2026-07-01 08:00"), rated.Slices[2].Start);
        Assert.Equal(Local("2026-07-01 11:00"), rated.Slices[2].End);
        Assert.All(rated.Slices, s => Assert.False(s.Estimated));
    }

    [Fact]
    public void An_interval_over_midnight_splits_at_the_day_and_at_the_version_change()
    {
        // Version 1 at 1.00 until Sat 2026-02-28, version 2 at 1.10 from Sun 2026-03-01 00:00 local.
        // 23:00–01:00, 2,000 Wh: 1,000 Wh on 02-28 × 1.00 = 1.00, 1,000 Wh on 03-01 × 1.10 = 1.10; total 2.10.
        // The month changes too: the month-to-date at the end counts only March: 1,000 Wh.
        var rater = Rater(FlatWithChange(1.00m, 1.10m, "2026-03-01"));

        var rated = rater.Rate("2026-02-28 23:00", "2026-03-01 01:00", 2000, monthToDateWh: 123_456);

        Assert.Equal(
            [(Date("2026-02-28"), 1, 1000L, 1.00m), (Date("2026-03-01"), 2, 1000L, 1.10m)],
            rated.Slices.Select(s => (s.LocalDate, s.Version.Version, s.EnergyWh, s.Amount.Amount)));
        Assert.Equal(Local("2026-03-01 00:00"), rated.Slices[1].Start);
        Assert.Equal(2.10m, rated.Amount.Amount);
        Assert.Equal(1000, rated.Result.MonthToDateWhAtEnd);
    }

    [Fact]
    public void An_interval_crossing_a_ladder_threshold_splits_at_the_watt_hour_that_crosses_it()
    {
        // Tiered example: unit price = (0.80 + adder + 0.02) × 1.055 → block 0: 0.86510, block 1: 0.91785.
        // Month so far 999.500 kWh; 10:00–11:00, 2,000 Wh: the first 500 Wh reach 1,000 kWh (block 0), the
        // other 1,500 Wh are in block 1. At constant power 500 Wh take 15 minutes: the cut is at 10:15.
        //   500 Wh × 0.86510 / 1000 = 0.43255;  1,500 Wh × 0.91785 / 1000 = 1.376775;  total 1.809325
        var rater = Rater(ExamplePlans.Tiered());

        var rated = rater.Rate("2026-03-10 10:00", "2026-03-10 11:00", 2000, monthToDateWh: 999_500);

        Assert.Equal(
            [(0, 500L, 0.86510m, 0.43255m), (1, 1500L, 0.91785m, 1.376775m)],
            rated.Slices.Select(s => (s.TierIndex, s.EnergyWh, s.UnitPrice, s.Amount.Amount)));
        Assert.Equal(Local("2026-03-10 10:15"), rated.Slices[0].End);
        Assert.Equal(Local("2026-03-10 10:15"), rated.Slices[1].Start);
        Assert.Equal(1.809325m, rated.Amount.Amount);
        Assert.Equal(1_001_500, rated.Result.MonthToDateWhAtEnd);
    }

    [Fact]
    public void The_month_to_date_restarts_at_the_local_month_start_inside_an_interval()
    {
        // 5,000 kWh used in March already (block 2 from the next Wh). 2026-03-31 23:00 → 04-01 01:00, 2,000 Wh:
        // 1,000 Wh in March in block 2: 1 kWh × (0.80 + 0.10 + 0.02) × 1.055 = 0.97060
        // 1,000 Wh in April, month restarted, block 0: 1 kWh × 0.86510 = 0.86510; total 1.83570
        var rater = Rater(ExamplePlans.Tiered());

        var rated = rater.Rate("2026-03-31 23:00", "2026-04-01 01:00", 2000, monthToDateWh: 5_000_000);

        Assert.Equal([(2, 1000L), (0, 1000L)], rated.Slices.Select(s => (s.TierIndex, s.EnergyWh)));
        Assert.Equal(1.83570m, rated.Amount.Amount);
        Assert.Equal(1000, rated.Result.MonthToDateWhAtEnd);
    }

    [Fact]
    public void An_interval_ending_at_a_month_start_hands_on_a_zero_month_to_date()
    {
        var rated = Rater(ExamplePlans.Tiered()).Rate("2026-03-31 23:59", "2026-04-01 00:00", 7, monthToDateWh: 42);

        Assert.Equal((Date("2026-03-31"), 7L), (Assert.Single(rated.Slices).LocalDate, rated.EnergyWh));
        Assert.Equal(0, rated.Result.MonthToDateWhAtEnd);
    }

    [Fact]
    public void A_thirty_hour_gap_is_spread_at_constant_power_and_marked_estimated()
    {
        // Offline from Tue 2026-03-10 20:00 to Thu 03-12 02:00 (30 h), 30,000 Wh: 1,000 Wh per hour.
        //   peak   3-10 20–21, 3-11 08–11, 13–17, 19–21        = 1+3+4+2 = 10 h → 10 kWh × 1.20 = 12.00
        //   flat   3-10 21–23, 3-11 07–08, 11–13, 17–19, 21–23 = 2+1+2+2+2 = 9 h → 9 kWh × 0.70 = 6.30
        //   valley 3-10 23–24, 3-11 00–07, 23–24, 3-12 00–02   = 1+7+1+2 = 11 h → 11 kWh × 0.35 = 3.85
        //   total 30 kWh, 22.15; the last two hours get 2,000 Wh, not the whole gap.
        var rated = _tou.Rate("2026-03-10 20:00", "2026-03-12 02:00", 30_000);

        Assert.Equal(10_000, rated.WhIn(TariffBand.Peak));
        Assert.Equal(9_000, rated.WhIn(TariffBand.Flat));
        Assert.Equal(11_000, rated.WhIn(TariffBand.Valley));
        Assert.Equal(22.15m, rated.Amount.Amount);
        Assert.True(rated.Result.Estimated);
        Assert.All(rated.Slices, s => Assert.True(s.Estimated));
        Assert.Equal((Date("2026-03-12"), 2000L), (rated.Slices[^1].LocalDate, rated.Slices[^1].EnergyWh));
        Assert.Equal([Date("2026-03-10"), Date("2026-03-11"), Date("2026-03-12")], rated.Slices.Select(s => s.LocalDate).Distinct());
    }

    [Fact]
    public void A_gap_conserves_an_energy_that_does_not_divide_evenly()
    {
        var rated = _tou.Rate("2026-03-10 20:00", "2026-03-12 02:00", 30_007);

        Assert.Equal(30_007, rated.EnergyWh);
        Assert.All(rated.Slices, s =>
        {
            var exactShare = 30_007m * (decimal)(s.End - s.Start).Ticks / TimeSpan.FromHours(30).Ticks;
            Assert.True(Math.Abs(s.EnergyWh - exactShare) < 1m, $"{s.EnergyWh} Wh is not within 1 Wh of its share {exactShare}");
        });
    }

    [Fact]
    public void An_interval_within_the_expected_gap_is_not_estimated()
    {
        Assert.False(_tou.Rate("2026-03-10 10:00", "2026-03-10 10:15", 100).Result.Estimated);
        Assert.True(_tou.Rate("2026-03-10 10:00", "2026-03-10 10:16", 100).Result.Estimated);
    }

    [Theory]
    [InlineData("2026-06-30", TariffBand.Flat, 1.40)]
    [InlineData("2026-07-01", TariffBand.Sharp, 2.88)]
    [InlineData("2026-08-31", TariffBand.Sharp, 2.88)]
    [InlineData("2026-09-01", TariffBand.Flat, 1.40)]
    public void The_sharp_band_applies_only_in_July_and_August(string date, TariffBand band, decimal amount)
    {
        // 11:00–13:00, 2,000 Wh: 2 kWh × 1.44 = 2.88 in summer, 2 kWh × 0.70 = 1.40 otherwise.
        var rated = _tou.Rate($"{date} 11:00", $"{date} 13:00", 2000);

        Assert.Equal(band, Assert.Single(rated.Slices).Band);
        Assert.Equal(amount, rated.Amount.Amount);
    }

    [Fact]
    public void A_holiday_uses_the_holiday_schedule()
    {
        // 08:00–11:00, 3,000 Wh. Thu 2026-10-01 is a holiday: flat, 3 × 0.70 = 2.10.
        // Thu 2026-10-08 is a weekday: peak, 3 × 1.20 = 3.60. Sat 10-03 has no weekend schedule: as a weekday.
        Assert.Equal((TariffBand.Flat, 2.10m), Single(_tou.Rate("2026-10-01 08:00", "2026-10-01 11:00", 3000)));
        Assert.Equal((TariffBand.Peak, 3.60m), Single(_tou.Rate("2026-10-08 08:00", "2026-10-08 11:00", 3000)));
        Assert.Equal((TariffBand.Peak, 3.60m), Single(_tou.Rate("2026-10-03 08:00", "2026-10-03 11:00", 3000)));

        static (TariffBand, decimal) Single(RatedInterval rated) => (Assert.Single(rated.Slices).Band, rated.Amount.Amount);
    }

    [Fact]
    public void A_weekend_schedule_applies_on_weekends_but_not_on_make_up_working_days()
    {
        var plan = ExamplePlans.CommercialTimeOfUse();
        var weekendFlat = plan.Versions[0] with
        {
            Seasons = [.. plan.Versions[0].Seasons.Select(s => s with { Weekend = [TariffPeriod.Of("00:00", "24:00", TariffBand.Flat)] })],
        };
        var calendar = new SiteCalendar(Shanghai, workingWeekendDays: [Date("2026-10-10")]);
        var rater = new TariffRater(TariffTimeline.For(plan with { Versions = [weekendFlat] }), calendar);

        Assert.Equal(TariffBand.Flat, Assert.Single(rater.Rate("2026-10-03 09:00", "2026-10-03 10:00", 1000).Slices).Band);
        Assert.Equal(TariffBand.Peak, Assert.Single(rater.Rate("2026-10-10 09:00", "2026-10-10 10:00", 1000).Slices).Band);
    }

    [Fact]
    public void The_markup_is_added_per_kWh_and_then_as_a_percentage()
    {
        // (0.80 band + 0.00 block + 0.02 per kWh) × (1 + 5.5/100) = 0.82 × 1.055 = 0.86510 per kWh.
        var version = ExamplePlans.Tiered().Versions[0];

        Assert.Equal(0.86510m, version.UnitPrice(TariffBand.Flat, 0));
        Assert.Equal(0.91785m, version.UnitPrice(TariffBand.Flat, 1));
        Assert.Equal(0.97060m, version.UnitPrice(TariffBand.Flat, 2));
        Assert.Equal(0.80m, (version with { Markup = null }).UnitPrice(TariffBand.Flat, 0));
    }

    [Fact]
    public void Energy_is_spread_by_largest_remainder_with_ties_to_the_earlier_piece()
    {
        Span<long> shares = stackalloc long[4];

        EnergySpreading.LargestRemainder(10, [1, 1, 1, 1], shares);

        Assert.Equal([3L, 3L, 2L, 2L], shares.ToArray());
    }
}
