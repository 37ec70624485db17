namespace Kilowallet.Simulator.Meters;

/// <summary>A season ("time zone" in meter terms) of a TOU table: months <paramref name="FromMonth"/> to <paramref name="ToMonth"/> inclusive (may wrap the year end).</summary>
public sealed record TouSeason(int FromMonth, int ToMonth, TouDaySchedule Schedule)
{
    public bool Contains(int month) =>
        FromMonth <= ToMonth ? month >= FromMonth && month <= ToMonth : month >= FromMonth || month <= ToMonth;
}
