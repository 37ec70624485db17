namespace Kilowallet.Simulator.Load;

/// <summary>
/// The load of each business format as data: components, their shares of the peak, shapes and power factors, and
/// the power density used to size a shop from its floor area.
/// </summary>
public static class FormatProfiles
{
    private static readonly Dictionary<LoadFormat, FormatProfile> Profiles = new()
    {
        [LoadFormat.Supermarket] = new(80,
        [
            new("refrigeration", LoadShape.Always, 0.35, 0.85),
            new("lighting", LoadShape.OpenHours, 0.28, 0.95, LeadHours: 1.5, LagHours: 0.5),
            new("hvac", LoadShape.Cooling, 0.30, 0.85, LeadHours: 1.0),
            new("checkouts and bakery", LoadShape.Footfall, 0.07, 0.97),
        ]),
        [LoadFormat.Restaurant] = new(130,
        [
            new("fridges", LoadShape.Always, 0.06, 0.85),
            new("kitchen base", LoadShape.OpenHours, 0.22, 0.95, LeadHours: 1.5, LagHours: 0.5),
            new("cooking", LoadShape.Meals, 0.55, 0.97, LeadHours: 1.0),
            new("lighting", LoadShape.OpenHours, 0.10, 0.93, LeadHours: 0.5, LagHours: 0.5),
            new("air conditioning", LoadShape.Cooling, 0.07, 0.85),
        ]),
        [LoadFormat.Apparel] = new(80,
        [
            new("standby", LoadShape.Always, 0.02, 0.90),
            new("lighting", LoadShape.OpenHours, 0.75, 0.95, LeadHours: 0.5, LagHours: 0.25),
            new("air conditioning", LoadShape.Cooling, 0.23, 0.85),
        ]),
        [LoadFormat.Electronics] = new(100,
        [
            new("standby", LoadShape.Always, 0.05, 0.90),
            new("lighting", LoadShape.OpenHours, 0.35, 0.95, LeadHours: 0.5, LagHours: 0.25),
            new("displays", LoadShape.OpenHours, 0.40, 0.92, LeadHours: 0.25),
            new("air conditioning", LoadShape.Cooling, 0.20, 0.85),
        ]),
        [LoadFormat.Services] = new(70,
        [
            new("standby", LoadShape.Always, 0.03, 0.90),
            new("lighting", LoadShape.OpenHours, 0.45, 0.95, LeadHours: 0.5),
            new("equipment", LoadShape.Footfall, 0.35, 0.90),
            new("air conditioning", LoadShape.Cooling, 0.17, 0.85),
        ]),
        [LoadFormat.Cinema] = new(60,
        [
            new("servers and standby", LoadShape.Always, 0.08, 0.90),
            new("lobby lighting", LoadShape.OpenHours, 0.15, 0.95, LeadHours: 0.5, LagHours: 1.5),
            new("projection and sound", LoadShape.Shows, 0.47, 0.93, LagHours: 1.5),
            new("hall air conditioning", LoadShape.Cooling, 0.30, 0.85, LagHours: 1.5),
        ]),
        [LoadFormat.PublicLighting] = new(0,
        [
            new("public lighting", LoadShape.OpenHours, 0.85, 0.95, LeadHours: 0.5, LagHours: 0.5),
            new("security lighting", LoadShape.Night, 0.15, 0.95, LeadHours: 0.5, LagHours: 0.5),
        ]),
        [LoadFormat.EscalatorsAndLifts] = new(0,
        [
            new("lift standby", LoadShape.Always, 0.02, 0.80),
            new("escalators idle", LoadShape.OpenHours, 0.25, 0.80, LeadHours: 0.25, LagHours: 0.25),
            new("passengers", LoadShape.Footfall, 0.73, 0.82),
        ]),
        [LoadFormat.CentralAirConditioning] = new(0,
        [
            new("controls and pumps at night", LoadShape.Always, 0.05, 0.88),
            new("circulation pumps", LoadShape.OpenHours, 0.10, 0.88, LeadHours: 1.0),
            new("chillers and heat pumps", LoadShape.Cooling, 0.85, 0.85, LeadHours: 1.0),
        ]),
        [LoadFormat.Other] = new(70,
        [
            new("standby", LoadShape.Always, 0.05, 0.90),
            new("lighting and equipment", LoadShape.OpenHours, 0.70, 0.93, LeadHours: 0.5),
            new("air conditioning", LoadShape.Cooling, 0.25, 0.85),
        ]),
    };

    /// <summary>The profile of a format (the master incomer has none: it sums the other meters).</summary>
    public static FormatProfile For(LoadFormat format) =>
        Profiles.TryGetValue(format, out var profile)
            ? profile
            : throw new ArgumentException($"The format {format} has no load profile of its own (the master incomer sums the other meters).", nameof(format));

    /// <summary>
    /// The peak power of a supply point on the primary side, kW: floor area × the format's power density, at most
    /// 85 % of the power limit; circuits without a floor area (public areas) peak at 60 % of their limit (70 % for
    /// central air conditioning).
    /// </summary>
    public static double PeakKw(LoadFormat format, double floorAreaM2, double powerLimitKw)
    {
        var profile = For(format);
        var byLimit = 0.85 * powerLimitKw;
        if (profile.WattsPerSquareMetre <= 0 || floorAreaM2 <= 0)
        {
            return (format == LoadFormat.CentralAirConditioning ? 0.70 : 0.60) * powerLimitKw;
        }

        return Math.Min(byLimit, profile.WattsPerSquareMetre * floorAreaM2 / 1000.0);
    }
}
