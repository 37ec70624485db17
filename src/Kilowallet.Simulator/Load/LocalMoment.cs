namespace Kilowallet.Simulator.Load;

/// <summary>A simulated instant seen on the mall's wall clock, with what the load shapes need to know about it.</summary>
/// <param name="HourOfDay">Local hour with fraction, 0 ≤ h &lt; 24 (13.5 is 13:30).</param>
/// <param name="DayNumber">Local days since 0001-01-01 (for day-to-day variation).</param>
public readonly record struct LocalMoment(double HourOfDay, DayOfWeek DayOfWeek, int Month, long DayNumber)
{
    public bool IsWeekend => DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    public Season Season => Month switch
    {
        >= 6 and <= 9 => Season.Summer,
        12 or 1 or 2 => Season.Winter,
        _ => Season.Shoulder,
    };
}
