using Kilowallet.Domain.Tariffs;
using static Kilowallet.Domain.Tests.Tariffs.TariffBuilders;

namespace Kilowallet.Domain.Tests.Tariffs;

public sealed class ChargesAndEstimatesTests
{
    [Theory]
    [InlineData("2026-03", 31)]
    [InlineData("2026-02", 28)]
    [InlineData("2028-02", 29)]
    public void A_monthly_fixed_charge_posts_exactly_its_amount_over_the_month(string month, int days)
    {
        // 30.00 over 31 days: 3000 fen = 31 × 96 + 24: 24 days of 0.97 and 7 of 0.96, spread through the month.
        var timeline = TariffTimeline.For(ExamplePlans.Tiered());
        var first = Date(month + "-01");

        var postings = Enumerable.Range(0, days).SelectMany(d => FixedCharges.ForDay(timeline, first.AddDays(d))).ToList();

        Assert.Equal(30.00m, postings.Sum(p => p.Amount.Amount));
        Assert.All(postings, p => Assert.True(p.Amount.IsWholeMinorUnits));
        Assert.True(postings.Max(p => p.Amount.Amount) - postings.Min(p => p.Amount.Amount) <= 0.01m);
        Assert.All(postings, p => Assert.Equal("Meter service", p.Name));
    }

    [Fact]
    public void A_daily_fixed_charge_posts_as_is_and_a_plan_without_one_posts_nothing()
    {
        var version = ExamplePlans.Flat().Versions[0] with { FixedCharges = [new FixedCharge("Capacity", 1.50m, FixedChargeBasis.Day)] };
        var timeline = TariffTimeline.For(ExamplePlans.Flat() with { Versions = [version] });

        Assert.Equal(1.50m, Assert.Single(FixedCharges.ForDay(timeline, Date("2026-05-05"))).Amount.Amount);
        Assert.Empty(FixedCharges.ForDay(TariffTimeline.For(ExamplePlans.Flat()), Date("2026-05-05")));
        Assert.Empty(FixedCharges.ForDay(timeline, Date("2025-12-31")));
    }

    [Fact]
    public void Spreading_puts_the_odd_minor_units_evenly_and_adds_up_exactly()
    {
        var parts = Enumerable.Range(1, 3).Select(k => MoneyRounding.SpreadEvenly(Money.Yuan(0.10m), k, 3).Amount).ToList();

        Assert.Equal([0.03m, 0.03m, 0.04m], parts);
        Assert.Throws<ArgumentException>(() => MoneyRounding.SpreadEvenly(Money.Yuan(0.105m), 1, 3));
    }

    [Fact]
    public void Today_and_month_to_date_sum_the_slices_per_band()
    {
        var rater = Rater(ExamplePlans.CommercialTimeOfUse());
        var slices = new[]
        {
            rater.Rate("2026-03-01 06:00", "2026-03-01 09:00", 3000), // valley 1 kWh, flat 1, peak 1
            rater.Rate("2026-03-10 10:00", "2026-03-10 11:00", 2000), // peak 2 kWh
            rater.Rate("2026-03-11 23:00", "2026-03-12 00:00", 1000), // valley 1 kWh, not today
            rater.Rate("2026-02-28 10:00", "2026-02-28 11:00", 9000), // February
        }.SelectMany(r => r.Slices).ToList();

        var today = UsageSummary.Today(slices, Date("2026-03-10"));
        var month = UsageSummary.MonthToDate(slices, Date("2026-03-10"));

        Assert.Equal((2000L, 2.40m), (today[TariffBand.Peak].EnergyWh, today.Amount.Amount));
        Assert.Equal([0L, 3000L, 1000L, 1000L], month.Bands.Select(b => b.EnergyWh));
        Assert.Equal(0.35m + 0.70m + 3.60m, month.Amount.Amount);
        Assert.Equal([Date("2026-02-28"), Date("2026-03-01"), Date("2026-03-10"), Date("2026-03-11")], UsageSummary.ByDay(slices).Select(d => d.Date));
    }

    [Fact]
    public void Days_of_credit_left_divide_the_balance_by_the_average_of_the_last_seven_days()
    {
        Money[] week = [.. Enumerable.Repeat(Money.Yuan(15m), 7)];

        Assert.Equal(6.6m, CreditForecast.DaysLeft(Money.Yuan(100m), week)); // 100 / 15 = 6.666… truncated
        Assert.Equal(0m, CreditForecast.DaysLeft(Money.Yuan(-20m), week));
        Assert.Null(CreditForecast.DaysLeft(Money.Yuan(100m), [.. Enumerable.Repeat(Money.Zero, 7)]));
        Assert.Null(CreditForecast.DaysLeft(Money.Yuan(100m), []));
    }

    [Fact]
    public void Days_of_credit_left_use_the_complete_days_before_today()
    {
        var rater = Rater(ExamplePlans.Flat());
        var slices = Enumerable.Range(1, 10)
            .SelectMany(d => rater.Rate($"2026-03-{d:00} 10:00", $"2026-03-{d:00} 11:00", 10_000).Slices)
            .ToList(); // 10.00 a day on March 1–10

        Assert.Equal(Enumerable.Repeat(10m, 7), CreditForecast.DailyCosts(slices, Date("2026-03-10")).Select(c => c.Amount));
        Assert.Equal([0m, 0m, 0m, 10m, 10m, 10m, 10m], CreditForecast.DailyCosts(slices, Date("2026-03-05")).Select(c => c.Amount));
        Assert.Equal(5.0m, CreditForecast.DaysLeft(Money.Yuan(50m), slices, Date("2026-03-10")));
    }

    [Fact]
    public void Re_rating_compares_what_was_charged_with_the_new_timeline_per_day_and_band()
    {
        // Charged at the flat 1.00; re-rated under TOU: 06:00–09:00 3 kWh = 1 valley 0.35 + 1 flat 0.70 + 1 peak 1.20.
        var intervals = new[] { new RatingRequest(Local("2026-03-10 06:00"), Local("2026-03-10 09:00"), 3000, 0) };

        var report = Rerating.Compare(intervals, Rater(ExamplePlans.Flat()), Rater(ExamplePlans.CommercialTimeOfUse()), RatingPolicy.EveryMinute);

        Assert.Equal(3.00m, report.OldAmount.Amount);
        Assert.Equal(2.25m, report.NewAmount.Amount);
        Assert.Equal(-0.75m, report.Difference.Amount);
        Assert.Equal(
            [(TariffBand.Peak, 0L, 1000L, 1.20m), (TariffBand.Flat, 3000L, 1000L, -2.30m), (TariffBand.Valley, 0L, 1000L, 0.35m)],
            report.Lines.Select(l => (l.Band, l.OldEnergyWh, l.NewEnergyWh, l.Difference.Amount)));
        Assert.Empty(report.Problems);
    }

    [Fact]
    public void Re_rating_reports_intervals_the_new_timeline_cannot_rate()
    {
        var intervals = new[] { new RatingRequest(Local("2025-12-31 10:00"), Local("2025-12-31 11:00"), 1000, 0) };

        var report = Rerating.Compare([], intervals, Rater(ExamplePlans.Flat()), RatingPolicy.EveryMinute);

        Assert.Equal(QuarantineReason.NoTariffInForce, Assert.Single(report.Problems).Result.Reason);
    }
}
