namespace Kilowallet.Server.Reports;

/// <summary>A report table as a page shows it: at most <see cref="MaxRows"/> rows, with download links built from <see cref="DownloadQuery"/> when given.</summary>
public sealed record ReportTableView(ReportTable Table, string? DownloadQuery, int MaxRows = 100);
