using Kilowallet.Domain.Tariffs;

namespace Kilowallet.Domain.Tests.Tariffs;

public sealed class MoneyPrecisionTests
{
    [Fact]
    public void An_exact_rated_amount_converts_to_pico_units_and_back()
    {
        // 1 Wh at the largest-precision unit price: (0.0001 + 0.0001 + 0.0001) × 1.001 = 0.0003003 per kWh … × 1 Wh / 1000.
        var amount = Money.Yuan(0.000000300300m);

        Assert.Equal(300_300L, MoneyPrecision.ToPicoUnits(amount));
        Assert.Equal(amount, MoneyPrecision.FromPicoUnits(300_300L));
        Assert.Equal(1_809_325_000_000L, MoneyPrecision.ToPicoUnits(Money.Yuan(1.809325m)));
    }

    [Fact]
    public void An_amount_finer_than_a_pico_unit_is_refused()
    {
        Assert.False(MoneyPrecision.IsRepresentable(Money.Yuan(0.0000000000001m)));
        Assert.Throws<InvalidOperationException>(() => MoneyPrecision.ToPicoUnits(Money.Yuan(0.0000000000001m)));
        Assert.Throws<OverflowException>(() => MoneyPrecision.ToPicoUnits(Money.Yuan(10_000_000m)));
    }

    [Fact]
    public void The_finest_plan_the_validation_allows_still_rates_to_whole_pico_units()
    {
        var version = ExamplePlans.Tiered().Versions[0] with
        {
            Prices = new BandPrices(Flat: 0.7777m),
            Tiers = [new TariffTier(0m, 0.0003m)],
            Markup = new ServiceMarkup(Percent: 7.777m, PerKwh: 0.0009m),
        };
        var plan = ExamplePlans.Tiered() with { Versions = [version] };
        var rater = new TariffRater(TariffTimeline.For(plan), TariffBuilders.ShanghaiCalendar());

        var rated = rater.Rate(new RatingRequest(TariffBuilders.Local("2026-03-10 10:00"), TariffBuilders.Local("2026-03-10 10:01"), 1, 0), RatingPolicy.EveryMinute);

        // (0.7777 + 0.0003 + 0.0009) × 1.07777 = 0.7789 × 1.07777 = 0.839475053 per kWh; 1 Wh = 0.000839475053.
        Assert.Equal(0.000839475053m, rated.Amount.Amount);
        Assert.Equal(839_475_053L, MoneyPrecision.ToPicoUnits(rated.Amount));
    }
}
