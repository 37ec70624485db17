using System.Text;

namespace Kilowallet.Server.Admin;

/// <summary>RFC 4180 CSV: comma separated, double-quoted fields with "" for a quote, a header row of column names.</summary>
public static class Csv
{
    /// <summary>Parses a CSV document. Structural problems (unterminated quote, wrong field count) are listed, not thrown.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<CsvRow> Rows, IReadOnlyList<string> Errors) Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<string>();
        var records = ReadRecords(text, fileName, errors);
        if (records.Count == 0)
        {
            errors.Add($"{fileName}: the file is empty; it needs a header row.");
            return ([], [], errors);
        }

        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var duplicates = header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            errors.Add($"{fileName} line 1: duplicate column(s) {string.Join(", ", duplicates)}.");
            return (header, [], errors);
        }

        var rows = new List<CsvRow>();
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count == 1 && string.IsNullOrWhiteSpace(fields[0]))
            {
                continue;
            }

            if (fields.Count != header.Count)
            {
                errors.Add($"{fileName} line {line}: {fields.Count} fields, but the header has {header.Count}.");
                continue;
            }

            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Count; i++)
            {
                map[header[i]] = fields[i];
            }

            rows.Add(new CsvRow(line, map));
        }

        return (header, rows, errors);
    }

    public static string Quote(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 || value != value.Trim()
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    public static string Line(IEnumerable<string?> values) => string.Join(",", values.Select(Quote));

    private static List<(int Line, List<string> Fields)> ReadRecords(string text, string fileName, List<string> errors)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            i = 1;
        }

        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add((recordLine, fields));
                    fields = [];
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (inQuotes)
        {
            errors.Add($"{fileName} line {recordLine}: a quoted field is not closed.");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields));
        }

        return records;
    }
}
