namespace Kilowallet.Server.Admin;

/// <summary>One data row of a CSV file: its line number (1-based, the header is line 1) and fields by column name.</summary>
public sealed class CsvRow(int line, IReadOnlyDictionary<string, string> fields)
{
    public int Line { get; } = line;

    /// <summary>The trimmed field, or null when the column is absent or the field empty.</summary>
    public string? this[string column] =>
        fields.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
