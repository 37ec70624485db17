using Kilowallet.Domain.Tariffs;
using static Kilowallet.Domain.Tests.Tariffs.TariffBuilders;

namespace Kilowallet.Domain.Tests.Tariffs;

public sealed class QuarantineAndIgnoreTests
{
    private readonly TariffRater _tou = Rater(ExamplePlans.CommercialTimeOfUse());

    [Fact]
    public void A_register_going_backwards_is_quarantined_not_rated()
    {
        var rated = _tou.Rate("2026-03-10 10:00", "2026-03-10 10:01", -5_000);

        Assert.Equal((RatingOutcome.Quarantined, QuarantineReason.RegisterWentBackwards), (rated.Outcome, rated.Result.Reason));
        Assert.Empty(rated.Slices);
        Assert.Contains("went backwards", rated.Result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_implausible_jump_is_quarantined()
    {
        // 10 kW × 1.5 allows 250 Wh in a minute; 251 Wh is more than the installation can draw.
        var policy = new RatingPolicy(TimeSpan.FromMinutes(1), maxPowerKw: 10m);

        Assert.Equal(RatingOutcome.Rated, _tou.Rate("2026-03-10 10:00", "2026-03-10 10:01", 250, policy: policy).Outcome);
        var jump = _tou.Rate("2026-03-10 10:00", "2026-03-10 10:01", 251, policy: policy);
        Assert.Equal((RatingOutcome.Quarantined, QuarantineReason.ImplausibleJump), (jump.Outcome, jump.Result.Reason));
    }

    [Fact]
    public void A_long_gap_allows_proportionally_more_energy()
    {
        var policy = new RatingPolicy(TimeSpan.FromMinutes(1), maxPowerKw: 10m);

        Assert.Equal(RatingOutcome.Rated, _tou.Rate("2026-03-10 00:00", "2026-03-11 06:00", 450_000, policy: policy).Outcome);
    }

    [Theory]
    [InlineData("2026-03-10 10:01")]
    [InlineData("2026-03-10 10:00")]
    public void A_reading_not_after_the_last_rated_one_is_ignored(string end)
    {
        var rated = _tou.Rate("2026-03-10 10:01", end, 10);

        Assert.Equal(RatingOutcome.Ignored, rated.Outcome);
        Assert.Empty(rated.Slices);
    }

    [Fact]
    public void A_meter_reading_sequence_rates_each_reading_once()
    {
        var buffer = new RatedSliceBuffer();
        var meter = new MeterReadingRater(_tou, RatingPolicy.EveryMinute);
        var baseline = new CumulativeReading(Local("2026-03-10 10:00"), 1_000_000);
        var next = new CumulativeReading(Local("2026-03-10 10:01"), 1_000_020);

        Assert.Equal(0, meter.Add(baseline, buffer).SliceCount);
        Assert.Equal(RatingOutcome.Rated, meter.Add(next, buffer).Outcome);
        Assert.Equal(RatingOutcome.Ignored, meter.Add(next, buffer).Outcome);
        Assert.Equal(RatingOutcome.Ignored, meter.Add(baseline, buffer).Outcome);

        Assert.Equal(20, Assert.Single(buffer).EnergyWh);
        Assert.Equal(20, meter.MonthToDateWh);
        Assert.Equal(next, meter.LastRated);
    }

    [Fact]
    public void After_a_meter_reset_the_sequence_continues_from_the_new_register_value()
    {
        var buffer = new RatedSliceBuffer();
        var meter = new MeterReadingRater(_tou, RatingPolicy.EveryMinute, new CumulativeReading(Local("2026-03-10 10:00"), 1_000_000), 500);

        var reset = meter.Add(new CumulativeReading(Local("2026-03-10 10:01"), 3), buffer);
        var after = meter.Add(new CumulativeReading(Local("2026-03-10 10:02"), 13), buffer);

        Assert.Equal(RatingOutcome.Quarantined, reset.Outcome);
        Assert.Equal(RatingOutcome.Rated, after.Outcome);
        Assert.Equal(10, Assert.Single(buffer).EnergyWh);
        Assert.Equal(510, meter.MonthToDateWh);
    }

    [Fact]
    public void Trusted_band_registers_replace_splitting_by_time()
    {
        // 10:00–12:00 on a weekday is all peak by the clock, but the meter's registers say 1,500 Wh peak
        // and 500 Wh flat (its own clock drifted): each band's energy is spread over the interval.
        var request = new RatingRequest(Local("2026-03-10 10:00"), Local("2026-03-10 12:00"), 2000, 0, new BandEnergyWh(0, 1500, 500, 0));

        var rated = _tou.Rate(request, RatingPolicy.EveryMinute);

        Assert.Equal([(TariffBand.Peak, 1500L, 1.80m), (TariffBand.Flat, 500L, 0.35m)], rated.Slices.Select(s => (s.Band, s.EnergyWh, s.Amount.Amount)));
        Assert.All(rated.Slices, s => Assert.Equal((Local("2026-03-10 10:00"), Local("2026-03-10 12:00")), (s.Start, s.End)));
    }

    [Fact]
    public void Band_registers_are_still_split_by_day()
    {
        var request = new RatingRequest(Local("2026-03-10 23:00"), Local("2026-03-11 01:00"), 1000, 0, new BandEnergyWh(0, 0, 0, 1000));

        var rated = _tou.Rate(request, RatingPolicy.EveryMinute);

        Assert.Equal([(Date("2026-03-10"), 500L), (Date("2026-03-11"), 500L)], rated.Slices.Select(s => (s.LocalDate, s.EnergyWh)));
    }

    [Fact]
    public void Band_registers_that_disagree_with_the_total_are_quarantined()
    {
        var request = new RatingRequest(Local("2026-03-10 10:00"), Local("2026-03-10 12:00"), 2000, 0, new BandEnergyWh(0, 1500, 499, 0));

        Assert.Equal(QuarantineReason.BandEnergyMismatch, _tou.Rate(request, RatingPolicy.EveryMinute).Result.Reason);
    }

    [Fact]
    public void Band_register_energy_in_a_band_without_a_price_is_quarantined()
    {
        var request = new RatingRequest(Local("2026-03-10 10:00"), Local("2026-03-10 12:00"), 2000, 0, new BandEnergyWh(100, 1900, 0, 0));

        Assert.Equal(QuarantineReason.BandWithoutPrice, Rater(ExamplePlans.RefrigerationNight()).Rate(request, RatingPolicy.EveryMinute).Result.Reason);
    }

    [Fact]
    public void A_meter_whose_own_bands_a_flat_plan_does_not_price_is_rated_by_time_instead()
    {
        // The meter's TOU registers say peak; the account is on the flat plan: 2,000 Wh at 1.00 = 2.00, by time.
        var meter = new MeterReadingRater(Rater(ExamplePlans.Flat()), RatingPolicy.EveryMinute, new CumulativeReading(Local("2026-03-10 10:00"), 0, new BandEnergyWh(0, 0, 0, 0)));
        var buffer = new RatedSliceBuffer();

        var result = meter.Add(new CumulativeReading(Local("2026-03-10 12:00"), 2_000, new BandEnergyWh(100, 1_900, 0, 0)), buffer);

        Assert.Equal(RatingOutcome.Rated, result.Outcome);
        var slice = Assert.Single(buffer.SlicesOf(result).ToArray());
        Assert.Equal(TariffBand.Flat, slice.Band);
        Assert.Equal(2_000, slice.EnergyWh);
        Assert.Equal(2.00m, slice.Amount.Amount);
    }

    [Fact]
    public void A_zero_energy_interval_is_rated_with_no_slices()
    {
        var rated = _tou.Rate("2026-03-10 10:00", "2026-03-10 10:01", 0, monthToDateWh: 77);

        Assert.Equal((RatingOutcome.Rated, 0, 77L), (rated.Outcome, rated.Slices.Count, rated.Result.MonthToDateWhAtEnd));
    }

    [Fact]
    public void The_buffer_form_appends_and_reports_where_its_slices_are()
    {
        var buffer = new RatedSliceBuffer(1);
        _tou.Rate(new RatingRequest(Local("2026-03-10 10:00"), Local("2026-03-10 10:01"), 5, 0), RatingPolicy.EveryMinute, buffer);

        var result = _tou.Rate(new RatingRequest(Local("2026-03-10 06:00"), Local("2026-03-10 09:00"), 300, 0), RatingPolicy.EveryMinute, buffer);

        Assert.Equal((1, 3), (result.FirstSlice, result.SliceCount));
        Assert.Equal(300, buffer.SlicesOf(result).ToArray().Sum(s => s.EnergyWh));
        Assert.Equal(4, buffer.Count);
    }
}
