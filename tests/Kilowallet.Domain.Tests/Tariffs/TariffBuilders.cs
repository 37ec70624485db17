using System.Globalization;
using Kilowallet.Domain.Tariffs;

namespace Kilowallet.Domain.Tests.Tariffs;

/// <summary>Test data: the site calendar, local instants, plans and raters.</summary>
internal static class TariffBuilders
{
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static SiteCalendar ShanghaiCalendar(params string[] holidays) =>
        new(Shanghai, holidays.Select(Date));

    public static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A Shanghai wall-clock time ("2026-07-01 10:00") as an instant.</summary>
    public static DateTimeOffset Local(string text) =>
        new(DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), TimeSpan.FromHours(8));

    public static TariffRater Rater(TariffPlan plan, SiteCalendar? calendar = null) =>
        new(TariffTimeline.For(plan), calendar ?? ShanghaiCalendar());

    public static RatedInterval Rate(this TariffRater rater, string start, string end, long energyWh, long monthToDateWh = 0, RatingPolicy? policy = null) =>
        rater.Rate(new RatingRequest(Local(start), Local(end), energyWh, monthToDateWh), policy ?? RatingPolicy.EveryMinute);

    public static long WhIn(this RatedInterval rated, TariffBand band) => rated.Slices.Where(s => s.Band == band).Sum(s => s.EnergyWh);

    public static decimal AmountIn(this RatedInterval rated, TariffBand band) => rated.Slices.Where(s => s.Band == band).Sum(s => s.Amount.Amount);

    /// <summary>The TOU example with the tiered example's ladder: the combination the properties and the benchmark use.</summary>
    public static TariffPlan TimeOfUseWithTiers()
    {
        var plan = ExamplePlans.CommercialTimeOfUse();
        var version = plan.Versions[0] with
        {
            Tiers = [new TariffTier(0m, 0m), new TariffTier(1000m, 0.05m), new TariffTier(5000m, 0.10m)],
        };
        return plan with { Code = "TOU-TIERED", Versions = [version] };
    }

    /// <summary>A flat plan at <paramref name="first"/> from 2026-01-01 and <paramref name="second"/> from <paramref name="change"/>.</summary>
    public static TariffPlan FlatWithChange(decimal first, decimal second, string change) => new(
        "FLAT-2V",
        "Flat with a price change",
        "CNY",
        [
            FlatVersion(1, ExamplePlans.EffectiveFrom, first),
            FlatVersion(2, Date(change), second),
        ]);

    public static TariffVersion FlatVersion(int number, DateOnly from, decimal price) =>
        new(number, from, new BandPrices(Flat: price), [new Season("all year", 1, 12, [TariffPeriod.Of("00:00", "24:00", TariffBand.Flat)])]);

    public static TariffPlan WithSchedule(params TariffPeriod[] periods) =>
        new("CUSTOM", "Custom", "CNY", [
            new TariffVersion(1, ExamplePlans.EffectiveFrom, new BandPrices(1.44m, 1.20m, 0.70m, 0.35m), [new Season("all year", 1, 12, periods)]),
        ]);
}
