using Kilowallet.Domain.Tariffs;
using static Kilowallet.Domain.Tests.Tariffs.TariffBuilders;

namespace Kilowallet.Domain.Tests.Tariffs;

public sealed class ValidationTests
{
    private static readonly TariffPlan Tou = ExamplePlans.CommercialTimeOfUse();

    [Fact]
    public void The_example_plans_are_valid()
    {
        Assert.All(ExamplePlans.All().Values, plan => Assert.Empty(plan.Validate()));
        Assert.Empty(TimeOfUseWithTiers().Validate());
    }

    [Fact]
    public void The_example_time_of_use_plan_has_at_least_eight_periods_a_day()
    {
        Assert.All(Tou.Versions[0].Seasons, s => Assert.True(s.Weekday.Count >= 8));
    }

    [Fact]
    public void Overlapping_periods_are_refused()
    {
        var plan = WithSchedule(
            TariffPeriod.Of("00:00", "12:00", TariffBand.Flat),
            TariffPeriod.Of("11:00", "24:00", TariffBand.Peak));

        var error = Assert.Single(plan.Validate());

        Assert.Equal("versions[0].seasons[0].weekday[1]", error.Path);
        Assert.Contains("overlaps period 00:00–12:00 Flat at 11:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uncovered_hours_are_refused()
    {
        var plan = WithSchedule(
            TariffPeriod.Of("00:00", "08:00", TariffBand.Valley),
            TariffPeriod.Of("09:00", "23:00", TariffBand.Flat));

        var error = Assert.Single(plan.Validate());

        Assert.Equal("versions[0].seasons[0].weekday", error.Path);
        Assert.Contains("not covered: 08:00–09:00, 23:00–24:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Up_to_48_periods_a_day_are_allowed_and_more_are_refused()
    {
        TariffPeriod[] Periods(int count) => [.. Enumerable.Range(0, count).Select(i => new TariffPeriod(
            TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(i * 1440 / count)),
            TimeOnly.FromTimeSpan(TimeSpan.FromMinutes((i + 1) * 1440 / count % 1440)),
            (TariffBand)(i % 4)))];

        Assert.Empty(WithSchedule(Periods(48)).Validate());
        Assert.Contains("at most 48 periods", Assert.Single(WithSchedule(Periods(60)).Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Periods_off_the_whole_minute_are_refused()
    {
        var plan = WithSchedule(
            new TariffPeriod(new TimeOnly(0, 0), new TimeOnly(8, 0, 30), TariffBand.Valley),
            new TariffPeriod(new TimeOnly(8, 0, 30), new TimeOnly(0, 0), TariffBand.Flat));

        Assert.All(plan.Validate(), e => Assert.Contains("whole minutes", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_negative_price_is_refused()
    {
        var plan = Tou with { Versions = [Tou.Versions[0] with { Prices = Tou.Versions[0].Prices with { Valley = -0.35m } }] };

        var error = Assert.Single(plan.Validate());

        Assert.Equal(("versions[0].prices.valley", "A price per kWh cannot be negative (-0.35)."), (error.Path, error.Message));
    }

    [Fact]
    public void An_unknown_band_is_refused()
    {
        var plan = WithSchedule(new TariffPeriod(TimeOnly.MinValue, TimeOnly.MinValue, (TariffBand)7));

        Assert.Contains("'7' is not a band", Assert.Single(plan.Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_band_used_without_a_price_is_refused()
    {
        var plan = Tou with { Versions = [Tou.Versions[0] with { Prices = Tou.Versions[0].Prices with { Sharp = null } }] };

        var errors = plan.Validate();

        Assert.Equal(2, errors.Count); // the two summer sharp periods
        Assert.All(errors, e => Assert.Equal("The schedule uses sharp but the version has no price for it (prices.sharp).", e.Message));
        Assert.Equal("versions[0].seasons[0].weekday[3].band", errors[0].Path);
    }

    [Fact]
    public void Seasons_that_do_not_cover_the_year_are_refused()
    {
        var seasons = Tou.Versions[0].Seasons;
        var plan = Tou with { Versions = [Tou.Versions[0] with { Seasons = [seasons[0], seasons[1] with { FromMonth = 10 }] }] };

        var error = Assert.Single(plan.Validate());

        Assert.Equal(("versions[0].seasons", "The seasons must cover all 12 months; not covered: Sep."), (error.Path, error.Message));
    }

    [Fact]
    public void A_month_in_two_seasons_is_refused()
    {
        var seasons = Tou.Versions[0].Seasons;
        var plan = Tou with { Versions = [Tou.Versions[0] with { Seasons = [seasons[0], seasons[1] with { FromMonth = 8 }] }] };

        Assert.Equal("Month 8 is in both 'summer' and 'rest of the year'; seasons must cover each month once.", Assert.Single(plan.Validate()).Message);
    }

    [Theory]
    [InlineData("price", "versions[0].prices.flat", "A price per kWh has at most 4 decimals; 0.70005 has more.")]
    [InlineData("percent", "versions[0].markup.percent", "A markup percentage has at most 3 decimals; 5.5555 has more.")]
    [InlineData("perKwh", "versions[0].markup.perKwh", "A markup per kWh has at most 4 decimals; 0.00001 has more.")]
    [InlineData("adder", "versions[0].tiers[1].adderPerKwh", "A block adder per kWh has at most 4 decimals; 0.05001 has more.")]
    [InlineData("threshold", "versions[0].tiers[1].fromKwh", "A block threshold (kWh) has at most 3 decimals; 1000.0005 has more.")]
    [InlineData("fixed", "versions[0].fixedCharges[0].amount", "A fixed charge has at most 2 decimals; 30.001 has more.")]
    public void Too_many_decimals_are_refused(string field, string path, string message)
    {
        var v = ExamplePlans.Tiered().Versions[0];
        var changed = field switch
        {
            "price" => v with { Prices = new BandPrices(Flat: 0.70005m) },
            "percent" => v with { Markup = v.Markup! with { Percent = 5.5555m } },
            "perKwh" => v with { Markup = v.Markup! with { PerKwh = 0.00001m } },
            "adder" => v with { Tiers = [v.Tiers![0], v.Tiers[1] with { AdderPerKwh = 0.05001m }, v.Tiers[2]] },
            "threshold" => v with { Tiers = [v.Tiers![0], v.Tiers[1] with { FromKwh = 1000.0005m }, v.Tiers[2]] },
            _ => v with { FixedCharges = [v.FixedCharges![0] with { Amount = 30.001m }] },
        };
        var plan = ExamplePlans.Tiered() with { Versions = [changed] };

        var error = Assert.Single(plan.Validate());

        Assert.Equal((path, message), (error.Path, error.Message));
    }

    [Fact]
    public void Trailing_zeros_do_not_count_as_decimals()
    {
        var plan = Tou with { Versions = [Tou.Versions[0] with { Prices = new BandPrices(1.440000m, 1.2000000m, 0.70m, 0.350000000m) }] };

        Assert.Empty(plan.Validate());
    }

    [Fact]
    public void Ladder_blocks_start_at_zero_and_increase()
    {
        var v = ExamplePlans.Tiered().Versions[0];
        var plan = ExamplePlans.Tiered() with { Versions = [v with { Tiers = [new TariffTier(10m, 0m), new TariffTier(5m, 0.05m)] }] };

        Assert.Equal(
            ["versions[0].tiers[0].fromKwh", "versions[0].tiers[1].fromKwh"],
            plan.Validate().Select(e => e.Path));
    }

    [Fact]
    public void Versions_are_numbered_in_order_and_dated_in_order()
    {
        var plan = FlatWithChange(1m, 1.1m, "2026-03-01");
        var swapped = plan with { Versions = [plan.Versions[0], plan.Versions[1] with { Number = 3, EffectiveFrom = Date("2025-12-01") }] };

        Assert.Equal(
            ["versions[1].number", "versions[1].effectiveFrom"],
            swapped.Validate().Select(e => e.Path));
    }

    [Fact]
    public void A_plan_needs_a_code_a_name_a_currency_and_a_version()
    {
        var plan = new TariffPlan("has space", " ", "cny", []);

        Assert.Equal(["code", "name", "currency", "versions"], plan.Validate().Select(e => e.Path));
    }

    [Fact]
    public void A_new_version_dated_in_the_past_is_refused()
    {
        var calendar = ShanghaiCalendar();
        var plan = ExamplePlans.Flat();
        var now = Local("2026-05-10 09:30");

        var change = plan.AddVersion(FlatVersion(0, Date("2026-05-10"), 1.05m), now, calendar);

        var error = Assert.Single(change.Errors);
        Assert.False(change.Succeeded);
        Assert.Equal("versions[1].effectiveFrom", error.Path);
        Assert.StartsWith("2026-05-10 is in the past at the site (now 2026-05-10 09:30)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_future_dated_version_is_added_with_the_next_number_and_can_be_withdrawn_until_it_is_in_force()
    {
        var calendar = ShanghaiCalendar();
        var now = Local("2026-05-10 09:30");

        var added = ExamplePlans.Flat().AddVersion(FlatVersion(0, Date("2026-06-01"), 1.05m), now, calendar);

        Assert.True(added.Succeeded);
        Assert.Equal([1, 2], added.Plan!.Versions.Select(v => v.Number));
        Assert.True(added.Plan.WithdrawLatestVersion(now, calendar).Succeeded);
        Assert.False(added.Plan.WithdrawLatestVersion(Local("2026-06-01 00:00"), calendar).Succeeded);
        Assert.True(TariffPlan.IsInForce(added.Plan.Versions[1], Local("2026-06-01 00:00"), calendar));
    }

    [Fact]
    public void A_new_version_must_start_after_the_latest_one()
    {
        var calendar = ShanghaiCalendar();
        var plan = FlatWithChange(1m, 1.1m, "2026-09-01");

        var change = plan.AddVersion(FlatVersion(0, Date("2026-08-01"), 1.05m), Local("2026-05-10 09:30"), calendar);

        Assert.Contains("does not start after the latest version (2026-09-01)", Assert.Single(change.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_version_is_validated_too()
    {
        var change = ExamplePlans.Flat().AddVersion(FlatVersion(0, Date("2026-06-01"), -1m), Local("2026-05-10 09:30"), ShanghaiCalendar());

        Assert.Equal("versions[1].prices.flat", Assert.Single(change.Errors).Path);
    }

    [Fact]
    public void A_timeline_refuses_an_invalid_plan()
    {
        var invalid = WithSchedule(TariffPeriod.Of("00:00", "08:00", TariffBand.Valley));

        var error = Assert.Throws<ArgumentException>(() => TariffTimeline.For(invalid));

        Assert.Contains("not covered: 08:00–24:00", error.Message, StringComparison.Ordinal);
    }
}
