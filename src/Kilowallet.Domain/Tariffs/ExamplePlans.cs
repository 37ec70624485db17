namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// Example plans shipped with the product (the same plans as the JSON files in Tariffs/Examples/).
/// The prices are illustrative, in the ratios PROTOCOLS.md §4 describes; a site copies its own
/// published tariff.
/// </summary>
public static class ExamplePlans
{
    public static readonly DateOnly EffectiveFrom = new(2026, 1, 1);

    /// <summary>
    /// A Chinese commercial time-of-use tariff: valley 23:00–07:00 at 0.35, flat 0.70, peak 1.20, and in
    /// July–August a sharp band at 1.44 (11:00–13:00 and 16:00–17:00). 8 periods a day, 9 in summer;
    /// holidays have no peak (valley at night, flat by day).
    /// </summary>
    public static TariffPlan CommercialTimeOfUse() => new(
        "CN-COMMERCIAL-TOU",
        "Commercial time-of-use (尖峰平谷)",
        "CNY",
        [
            new TariffVersion(
                1,
                EffectiveFrom,
                new BandPrices(Sharp: 1.44m, Peak: 1.20m, Flat: 0.70m, Valley: 0.35m),
                [
                    new Season(
                        "summer",
                        7,
                        8,
                        [
                            P("23:00", "07:00", TariffBand.Valley),
                            P("07:00", "08:00", TariffBand.Flat),
                            P("08:00", "11:00", TariffBand.Peak),
                            P("11:00", "13:00", TariffBand.Sharp),
                            P("13:00", "16:00", TariffBand.Peak),
                            P("16:00", "17:00", TariffBand.Sharp),
                            P("17:00", "19:00", TariffBand.Flat),
                            P("19:00", "21:00", TariffBand.Peak),
                            P("21:00", "23:00", TariffBand.Flat),
                        ],
                        Holiday: HolidaySchedule()),
                    new Season(
                        "rest of the year",
                        9,
                        6,
                        [
                            P("23:00", "07:00", TariffBand.Valley),
                            P("07:00", "08:00", TariffBand.Flat),
                            P("08:00", "11:00", TariffBand.Peak),
                            P("11:00", "13:00", TariffBand.Flat),
                            P("13:00", "17:00", TariffBand.Peak),
                            P("17:00", "19:00", TariffBand.Flat),
                            P("19:00", "21:00", TariffBand.Peak),
                            P("21:00", "23:00", TariffBand.Flat),
                        ],
                        Holiday: HolidaySchedule()),
                ],
                Note: "Example: sharp about 20 % above peak, peak : flat : valley about 1.7 : 1 : 0.5."),
        ]);

    /// <summary>One price all day and all year: 1.00 CNY/kWh.</summary>
    public static TariffPlan Flat() => new(
        "CN-FLAT",
        "Flat rate",
        "CNY",
        [new TariffVersion(1, EffectiveFrom, new BandPrices(Flat: 1.00m), [AllYear(P("00:00", "24:00", TariffBand.Flat))])]);

    /// <summary>
    /// A ladder (tier-only) tariff: 0.80 CNY/kWh flat; the month's first 1,000 kWh +0, 1,000–5,000 kWh
    /// +0.05, above 5,000 kWh +0.10; a 30.00 CNY monthly meter service charge posted daily; a service
    /// markup of 0.02 per kWh and 5.5 %: unit price = (0.80 + adder + 0.02) × 1.055.
    /// </summary>
    public static TariffPlan Tiered() => new(
        "CN-TIERED",
        "Tiered monthly blocks (阶梯)",
        "CNY",
        [
            new TariffVersion(
                1,
                EffectiveFrom,
                new BandPrices(Flat: 0.80m),
                [AllYear(P("00:00", "24:00", TariffBand.Flat))],
                Tiers: [new TariffTier(0m, 0m), new TariffTier(1000m, 0.05m), new TariffTier(5000m, 0.10m)],
                FixedCharges: [new FixedCharge("Meter service", 30.00m, FixedChargeBasis.Month)],
                Markup: new ServiceMarkup(Percent: 5.5m, PerKwh: 0.02m)),
        ]);

    /// <summary>A cheaper night plan for refrigeration circuits (assigned to the meter, overriding the account's plan): valley 22:00–08:00 at 0.30, flat 0.75.</summary>
    public static TariffPlan RefrigerationNight() => new(
        "CN-REFRIGERATION-NIGHT",
        "Refrigeration night rate",
        "CNY",
        [
            new TariffVersion(
                1,
                EffectiveFrom,
                new BandPrices(Flat: 0.75m, Valley: 0.30m),
                [AllYear(P("22:00", "08:00", TariffBand.Valley), P("08:00", "22:00", TariffBand.Flat))]),
        ]);

    /// <summary>All examples, keyed by the file name under Tariffs/Examples/.</summary>
    public static IReadOnlyDictionary<string, TariffPlan> All() => new Dictionary<string, TariffPlan>(StringComparer.Ordinal)
    {
        ["commercial-tou.json"] = CommercialTimeOfUse(),
        ["flat.json"] = Flat(),
        ["tiered.json"] = Tiered(),
        ["refrigeration-night.json"] = RefrigerationNight(),
    };

    private static TariffPeriod[] HolidaySchedule() =>
        [P("23:00", "07:00", TariffBand.Valley), P("07:00", "23:00", TariffBand.Flat)];

    private static Season AllYear(params TariffPeriod[] periods) => new("all year", 1, 12, periods);

    private static TariffPeriod P(string start, string end, TariffBand band) => TariffPeriod.Of(start, end, band);
}
