namespace Kilowallet.Server.Reports;

/// <summary>A column of a report table: a stable key (JSON), the header people read, the kind of its values.</summary>
public sealed record ReportColumn(string Key, string Header, ColumnKind Kind);
