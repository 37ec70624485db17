namespace Kilowallet.Server.Reports;

/// <summary>The property's energy analysis of one site and period: every table, the charts, and the figures the page leads with.</summary>
public sealed class AnalysisReport
{
    public required SiteFacts Site { get; init; }

    public required ResolvedPeriod Resolved { get; init; }

    public ReportPeriod Period => Resolved.Period;

    public required ReportPeriod Previous { get; init; }

    public required AnalysisOptions Options { get; init; }

    public required IReadOnlyList<ReportTable> Tables { get; init; }

    public required PublicAreaShares Apportionment { get; init; }

    public required decimal TotalKwh { get; init; }

    public required decimal TotalCost { get; init; }

    public required decimal PreviousKwh { get; init; }

    public required decimal PublicKwh { get; init; }

    public required decimal PeakKw { get; init; }

    public required DateTimeOffset? PeakAt { get; init; }

    public required decimal? LossPercent { get; init; }

    public required bool LossFlagged { get; init; }

    public required string DailyChart { get; init; }

    public required string LoadChart { get; init; }

    public required string AreaChart { get; init; }

    public required string FormatChart { get; init; }

    public IReadOnlyList<string> Hints { get; init; } = [];

    public ReportTable? Table(string name) => Tables.FirstOrDefault(t => t.Name == name);
}
