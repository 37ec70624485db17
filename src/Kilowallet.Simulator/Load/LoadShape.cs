namespace Kilowallet.Simulator.Load;

/// <summary>How a load component varies over the day, week and year (each evaluates to 0..1).</summary>
public enum LoadShape
{
    /// <summary>Always on: refrigeration, standby, servers.</summary>
    Always = 0,

    /// <summary>On while the shop is open (with lead and lag hours), ramped over a quarter hour.</summary>
    OpenHours = 1,

    /// <summary>Open hours shaped by footfall: midday and evening bumps, busier at weekends.</summary>
    Footfall = 2,

    /// <summary>Lunch 11:00–13:30 and dinner 17:30–20:30 peaks, busier at weekends.</summary>
    Meals = 3,

    /// <summary>Cinema shows: afternoon 13:00–17:00 and evening 18:00–23:30, busier at weekends.</summary>
    Shows = 4,

    /// <summary>Air conditioning while open (with lead): summer heavy with an afternoon peak, winter moderate, spring/autumn low.</summary>
    Cooling = 5,

    /// <summary>On while the mall is closed: security lighting.</summary>
    Night = 6,
}
