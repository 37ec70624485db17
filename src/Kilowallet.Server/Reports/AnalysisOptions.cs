namespace Kilowallet.Server.Reports;

/// <summary>The analysis's settings: apportionment basis, the loss threshold, and the hours the mall is closed (local, [start, end)).</summary>
public sealed record AnalysisOptions
{
    public ApportionmentBasis Basis { get; init; } = ApportionmentBasis.FloorArea;

    /// <summary>Losses (master minus sub-meters) above this share of the master's energy are flagged, in percent.</summary>
    public decimal LossThresholdPercent { get; init; } = 5m;

    /// <summary>First local hour the mall is closed (default 23:00).</summary>
    public int NightStartHour { get; init; } = 23;

    /// <summary>First local hour the mall is open again (default 07:00).</summary>
    public int NightEndHour { get; init; } = 7;

    public bool IsNight(int localHour) =>
        NightStartHour <= NightEndHour ? localHour >= NightStartHour && localHour < NightEndHour : localHour >= NightStartHour || localHour < NightEndHour;

    public int NightHoursPerDay => Enumerable.Range(0, 24).Count(IsNight);
}
