namespace Kilowallet.Simulator.Load;

/// <summary>What a supply point feeds; chooses the daily load shape of its meter.</summary>
public enum LoadFormat
{
    /// <summary>Refrigeration day and night (about 35 % of peak) plus lighting and HVAC while open.</summary>
    Supermarket = 0,

    /// <summary>Lunch and dinner peaks over a kitchen base; fridges at night.</summary>
    Restaurant = 1,

    /// <summary>Lighting and a little air conditioning while open; standby at night.</summary>
    Apparel = 2,

    /// <summary>Lighting and displays while open; a larger standby at night.</summary>
    Electronics = 3,

    /// <summary>Salons, pharmacies, repairs: lighting plus equipment that follows footfall.</summary>
    Services = 4,

    /// <summary>Afternoon and evening shows, busier at weekends.</summary>
    Cinema = 5,

    /// <summary>Public lighting: full while open, security lighting at night.</summary>
    PublicLighting = 6,

    /// <summary>Escalators and lifts: while open, in proportion to footfall.</summary>
    EscalatorsAndLifts = 7,

    /// <summary>Central air conditioning: heavy in summer, moderate in winter, low in spring and autumn.</summary>
    CentralAirConditioning = 8,

    /// <summary>The master incomer: the sum of every other meter of the mall, plus line losses.</summary>
    MasterIncomer = 9,

    /// <summary>Anything else: a generic shop.</summary>
    Other = 10,
}
