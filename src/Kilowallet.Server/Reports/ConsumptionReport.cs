using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Web.Localization;

namespace Kilowallet.Server.Reports;

/// <summary>
/// Consumption and cost of the consuming meters (tenants and public areas; master meters apart) of a
/// site, grouped by site, area, business format, shop, meter or band, and cut by hour, local day,
/// local month or not at all. Hourly cuts are offered for the groupings with few groups (site, area,
/// band), so an answer never runs to millions of rows.
/// </summary>
public sealed class ConsumptionReport(StorageConnections connections)
{
    public static IReadOnlyList<string> Groupings { get; } = ["site", "area", "format", "shop", "meter", "band"];

    public static IReadOnlyList<string> Intervals { get; } = ["total", "hour", "day", "month"];

    /// <summary>Why the grouping and interval cannot be answered, or null.</summary>
    public static string? Problem(string groupBy, string interval) =>
        !Groupings.Contains(groupBy) ? $"groupBy is one of {string.Join(", ", Groupings)}."
        : !Intervals.Contains(interval) ? $"interval is one of {string.Join(", ", Intervals)}."
        : interval == "hour" && groupBy is not ("site" or "area" or "band") ? "Hourly figures are given by site, area or band; use day or month for shops, formats and meters."
        : null;

    public async Task<ReportTable> BuildAsync(SiteFacts site, ReportPeriod period, string groupBy, string interval, Text t, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(t);
        if (Problem(groupBy, interval) is { } problem)
        {
            throw new ArgumentException(problem, nameof(groupBy));
        }

        var (from, to) = period.Instants(site.Zone);
        var query = new UsageQuery(site.Id, from, to, site.Zone)
        {
            Key = groupBy switch { "site" or "band" => UsageKey.Site, "area" => UsageKey.Area, _ => UsageKey.Meter },
            Bucketing = interval switch { "hour" => UsageBucketing.Hour, "day" or "month" => UsageBucketing.LocalDay, _ => UsageBucketing.None },
            ByBand = groupBy == "band",
            Purposes = [MeterPurpose.Tenant, MeterPurpose.PublicArea],
        };
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await UsageReader.ReadAsync(connection, query, cancellationToken);

        string Group(UsageRow row) => groupBy switch
        {
            "site" => site.Code,
            "band" => t["Band" + row.Band],
            "area" => site.Areas.GetValueOrDefault(row.Key)?.Code ?? "—",
            "format" => t["Format" + (site.ShopOf(row.Key)?.Format ?? BusinessFormat.Other)],
            "shop" => site.ShopOf(row.Key) is { } shop ? shop.Unit + " " + shop.Name : "—",
            _ => site.Meters.GetValueOrDefault(row.Key)?.Serial ?? row.Key.ToString(CultureInfo.InvariantCulture),
        };

        string Time(UsageRow row) => interval switch
        {
            "hour" => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(row.Bucket), site.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            "day" => row.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "month" => row.Day.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            _ => period.ToString(),
        };

        var table = new ReportTable("consumption", t["Consumption"],
        [
            new("group", t["GroupCol"], ColumnKind.Text), new("time", t["TimeCol"], ColumnKind.Text), new("kwh", t["KwhCol"], ColumnKind.Energy),
            new("cost", t["CostCol"], ColumnKind.Money), new("estimatedKwh", t["EstimatedKwhCol"], ColumnKind.Energy),
        ]);
        foreach (var group in rows.GroupBy(r => (Group: Group(r), Time: Time(r))).OrderBy(g => g.Key.Group, StringComparer.Ordinal).ThenBy(g => g.Key.Time, StringComparer.Ordinal))
        {
            table.Add(group.Key.Group, group.Key.Time, group.Sum(r => r.EnergyWh) / 1000m, group.Sum(r => r.Amount.Amount), group.Sum(r => r.EstimatedWh) / 1000m);
        }

        return table;
    }
}
