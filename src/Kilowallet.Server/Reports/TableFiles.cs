using System.IO.Compression;
using System.Security;
using System.Text;

namespace Kilowallet.Server.Reports;

/// <summary>
/// Report tables as files: CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read
/// Chinese, text that could start a formula prefixed with an apostrophe) and Excel (a minimal
/// Office Open XML workbook written here, one sheet per table, numbers as numbers).
/// </summary>
public static class TableFiles
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Csv(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new StringBuilder();
        text.AppendJoin(',', table.Columns.Select(c => Quote(c.Header))).Append("\r\n");
        foreach (var row in table.Rows)
        {
            text.AppendJoin(',', row.Select((cell, i) => Quote(Safe(cell, table.Columns[i].Kind)))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static byte[] Xlsx(IReadOnlyList<ReportTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var names = SheetNames(tables);
            Write(zip, "[Content_Types].xml", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{string.Concat(tables.Select((_, i) => $"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))}</Types>
                """);
            Write(zip, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """);
            Write(zip, "xl/workbook.xml", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{string.Concat(names.Select((n, i) => $"<sheet name=\"{Escape(n)}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>"))}</sheets></workbook>
                """);
            Write(zip, "xl/_rels/workbook.xml.rels", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{string.Concat(tables.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>"))}<Relationship Id="rId{tables.Count + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
                """);

            // Styles: 0 default, 1 bold header, 2 money 0.00, 3 energy 0.000, 4 whole number, 5 one decimal.
            Write(zip, "xl/styles.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="0.000"/><numFmt numFmtId="165" formatCode="0.0"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>
                """);
            for (var i = 0; i < tables.Count; i++)
            {
                Write(zip, $"xl/worksheets/sheet{i + 1}.xml", Sheet(tables[i]));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A file name from a report's name and period, safe for a Content-Disposition header.</summary>
    public static string FileName(string name, ReportPeriod period, string extension) =>
        $"kilowallet-{new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-')])}-{period.From:yyyyMMdd}-{period.LastDay:yyyyMMdd}.{extension}";

    private static string Sheet(ReportTable table)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        xml.Append("<row r=\"1\">");
        foreach (var column in table.Columns)
        {
            xml.Append("<c t=\"inlineStr\" s=\"1\"><is><t>").Append(Escape(column.Header)).Append("</t></is></c>");
        }

        xml.Append("</row>");
        for (var r = 0; r < table.Rows.Count; r++)
        {
            xml.Append("<row r=\"").Append(r + 2).Append("\">");
            var row = table.Rows[r];
            for (var c = 0; c < row.Length; c++)
            {
                var kind = table.Columns[c].Kind;
                var value = row[c];
                if (value is decimal or long or int && kind != ColumnKind.Text)
                {
                    var style = kind switch
                    {
                        ColumnKind.Money => 2,
                        ColumnKind.Energy or ColumnKind.Power => 3,
                        ColumnKind.Count => 4,
                        ColumnKind.Percent => 5,
                        _ => 0,
                    };
                    xml.Append("<c s=\"").Append(style).Append("\"><v>").Append(TableCell(value, kind)).Append("</v></c>");
                }
                else if (value is not null)
                {
                    xml.Append("<c t=\"inlineStr\"><is><t>").Append(Escape(ReportTable.Plain(value, kind))).Append("</t></is></c>");
                }
                else
                {
                    xml.Append("<c/>");
                }
            }

            xml.Append("</row>");
        }

        xml.Append("</sheetData></worksheet>");
        return xml.ToString();
    }

    private static string TableCell(object value, ColumnKind kind) => ReportTable.Plain(value, kind);

    private static List<string> SheetNames(IReadOnlyList<ReportTable> tables)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var table in tables)
        {
            var clean = new string([.. table.Title.Where(c => c is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\'))]);
            var name = clean.Length > 28 ? clean[..28] : clean.Length == 0 ? "Sheet" : clean;
            var unique = name;
            for (var n = 2; !used.Add(unique); n++)
            {
                unique = name + " " + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            names.Add(unique);
        }

        return names;
    }

    private static void Write(ZipArchive zip, string path, string content)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Fastest);
        using var stream = entry.Open();
        var bytes = Encoding.UTF8.GetBytes(content.Trim());
        stream.Write(bytes);
    }

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;

    private static string Safe(object? cell, ColumnKind kind)
    {
        var text = ReportTable.Plain(cell, kind);
        return cell is string && text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
    }

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
