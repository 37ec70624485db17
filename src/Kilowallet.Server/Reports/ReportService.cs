using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Web.Localization;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Reports;

/// <summary>
/// The property's energy analysis, from hourly usage summed in SQL (<see cref="UsageReader"/>):
/// consumption and cost by band, area, business format, shop and meter against the previous period;
/// daily use; load curves and peak demand of the mall and each area; night base load per shop;
/// public areas and their share; apportionment of public-area cost; master meter against its
/// sub-meters; top consumers; unusual days; and saving hints derived from all of it. Six scans of
/// the period's hourly rows (plus the previous period and a 28-day baseline), each grouped in SQL to
/// at most meters × days rows.
/// </summary>
public sealed class ReportService(StorageConnections connections, IDbContextFactory<KilowalletDb> dbFactory, TimeProvider clock)
{
    /// <summary>Days of a shop's own history an unusual day is measured against.</summary>
    public const int BaselineDays = 28;

    private static readonly MeterPurpose[] Consuming = [MeterPurpose.Tenant, MeterPurpose.PublicArea];
    private static readonly string[] Palette = ["#14213d", "#1a73e8", "#e8710a", "#188038", "#b3261e", "#6f42c1", "#8a94a6", "#d9480f"];

    public static IReadOnlyList<string> TableNames { get; } =
    [
        "summary", "by-band", "by-area", "by-format", "by-shop", "by-meter", "by-day", "load-curve", "peak-demand", "night-base-load",
        "public-areas", "apportionment", "losses", "top-consumers", "anomalies", "hints",
    ];

    public async Task<SiteFacts?> SiteAsync(long? siteId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await SiteFacts.LoadAsync(db, siteId is { } id ? new SiteId(id) : null, cancellationToken);
    }

    /// <summary>The site of an account; with <paramref name="tenant"/>, only when the account is that tenant's.</summary>
    public async Task<SiteId?> SiteOfAccountAsync(AccountId account, TenantId? tenant, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Accounts.AsNoTracking().Where(a => a.Id == account);
        if (tenant is { } owner)
        {
            query = query.Where(a => a.TenantId == owner);
        }

        var sites = await query.Select(a => a.SiteId).ToListAsync(cancellationToken);
        return sites.Count == 0 ? null : sites[0];
    }

    public async Task<AnalysisReport> AnalyseAsync(SiteFacts site, ResolvedPeriod resolved, AnalysisOptions options, Text text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(text);
        var period = resolved.Period;
        var previous = period.Previous;
        var zone = site.Zone;
        var (from, to) = period.Instants(zone);
        var (previousFrom, previousTo) = previous.Instants(zone);
        var now = clock.GetUtcNow();
        var elapsedTo = to < now ? to : now < from ? from : new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour + 1), TimeSpan.Zero);

        await using var connection = await connections.OpenAsync(cancellationToken);
        // One scan gives each meter's use per local day and band from the baseline's start: the period's
        // totals by meter and band, the daily chart and the unusual days all come from it.
        var baselineFrom = ReportPeriod.Midnight(period.From.AddDays(-BaselineDays), zone);
        var perDay = await UsageReader.ReadAsync(connection, new UsageQuery(site.Id, baselineFrom, to, zone) { Key = UsageKey.Meter, Bucketing = UsageBucketing.LocalDay }, cancellationToken);
        var byMeter = perDay.Where(r => r.Day >= period.From).ToList();
        var daily = byMeter.Where(r => site.Meters.TryGetValue(r.Key, out var m) && m.Purpose != MeterPurpose.Master)
            .GroupBy(r => (r.Bucket, r.Band))
            .Select(g => new UsageRow(site.Id.Value, g.Key.Bucket, g.Key.Band, g.Sum(r => r.EnergyWh), new Money(g.Sum(r => r.Amount.Amount)), g.Sum(r => r.EstimatedWh)))
            .ToList();
        var previousByMeter = await UsageReader.ReadAsync(connection, new UsageQuery(site.Id, previousFrom, previousTo, zone) { Key = UsageKey.Meter, ByBand = false }, cancellationToken);
        var hourly = await UsageReader.ReadAsync(connection, new UsageQuery(site.Id, from, to, zone) { Key = UsageKey.Area, Bucketing = UsageBucketing.Hour, ByBand = false, Purposes = Consuming }, cancellationToken);
        var hourOfDay = await UsageReader.ReadAsync(connection, new UsageQuery(site.Id, from, to, zone) { Key = UsageKey.Meter, Bucketing = UsageBucketing.LocalHourOfDay, ByBand = false, Purposes = Consuming }, cancellationToken);
        var shares = await PublicAreaShares.ComputeAsync(connection, site, period, options.Basis, cancellationToken);

        var b = new Builder(site, period, options, text);
        var meterTotals = byMeter.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => new Sum(g.Sum(r => r.EnergyWh), g.Sum(r => r.Amount.Amount), g.Sum(r => r.EstimatedWh)));
        var previousTotals = previousByMeter.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => new Sum(g.Sum(r => r.EnergyWh), g.Sum(r => r.Amount.Amount), 0));
        bool IsConsuming(long meter) => site.Meters.TryGetValue(meter, out var m) && m.Purpose != MeterPurpose.Master;
        var total = Sum.Of(meterTotals.Where(kv => IsConsuming(kv.Key)).Select(kv => kv.Value));
        var previousTotal = Sum.Of(previousTotals.Where(kv => IsConsuming(kv.Key)).Select(kv => kv.Value));

        var tables = new List<ReportTable>
        {
            b.Summary(meterTotals, previousTotals),
            b.ByBand(byMeter.Where(r => IsConsuming(r.Key)).ToList(), total),
            b.ByArea(meterTotals, previousTotals, total),
            b.ByFormat(meterTotals, previousTotals, total),
            b.ByShop(meterTotals, previousTotals),
            b.ByMeter(meterTotals, previousTotals),
            b.ByDay(daily),
        };
        var (loadCurve, peaks, peakKw, peakAt) = b.LoadCurve(hourly, from, to);
        tables.Add(loadCurve);
        tables.Add(peaks);
        var night = b.NightBaseLoad(hourOfDay, meterTotals, NightAndOpenHours(from, elapsedTo, zone, options));
        tables.Add(night.Table);
        var publicAreas = b.PublicAreas(meterTotals, total, night.Circuits);
        tables.Add(publicAreas);
        tables.Add(b.ApportionmentTable(shares));
        var (losses, lossPercent, lossFlagged) = b.Losses(meterTotals);
        tables.Add(losses);
        tables.Add(b.TopConsumers(meterTotals));
        var anomalies = b.Anomalies([.. perDay.Where(r => site.Meters.TryGetValue(r.Key, out var m) && m.Purpose == MeterPurpose.Tenant)]);
        tables.Add(anomalies);
        var hints = b.Hints(night, byMeter.Where(r => IsConsuming(r.Key)).ToList(), total, lossPercent, lossFlagged, anomalies.Rows.Count);
        tables.Add(hints);

        return new AnalysisReport
        {
            Site = site,
            Resolved = resolved,
            Previous = previous,
            Options = options,
            Tables = tables,
            Apportionment = shares,
            TotalKwh = total.Kwh,
            TotalCost = total.Amount,
            PreviousKwh = previousTotal.Kwh,
            PublicKwh = Sum.Of(meterTotals.Where(kv => site.Meters.TryGetValue(kv.Key, out var m) && m.Purpose == MeterPurpose.PublicArea).Select(kv => kv.Value)).Kwh,
            PeakKw = peakKw,
            PeakAt = peakAt,
            LossPercent = lossPercent,
            LossFlagged = lossFlagged,
            DailyChart = b.DailyChart(daily),
            LoadChart = b.LoadChart(hourly, from, to),
            AreaChart = b.GroupChart(byMeter.Where(r => IsConsuming(r.Key)), meter => site.AreaOf(meter)?.Code ?? "—", text["ByArea"]),
            FormatChart = b.GroupChart(byMeter.Where(r => IsConsuming(r.Key) && site.ShopOf(r.Key)?.Format != BusinessFormat.PublicArea), meter => b.FormatName(site.ShopOf(meter)?.Format ?? BusinessFormat.Other), text["ByFormat"]),
            Hints = [.. hints.Rows.Select(r => (string)r[1]!)],
        };
    }

    /// <summary>Hours of the mall being closed and open in [from, to), counted on the site's clock.</summary>
    private static (int Night, int Open) NightAndOpenHours(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone, AnalysisOptions options)
    {
        var night = 0;
        var open = 0;
        for (var hour = from; hour < to; hour = hour.AddHours(1))
        {
            if (options.IsNight(TimeZoneInfo.ConvertTime(hour, zone).Hour))
            {
                night++;
            }
            else
            {
                open++;
            }
        }

        return (night, open);
    }

    internal readonly record struct Sum(long EnergyWh, decimal Amount, long EstimatedWh)
    {
        public decimal Kwh => EnergyWh / 1000m;

        public static Sum Of(IEnumerable<Sum> sums) => sums.Aggregate(default(Sum), (a, s) => new Sum(a.EnergyWh + s.EnergyWh, a.Amount + s.Amount, a.EstimatedWh + s.EstimatedWh));
    }

    internal sealed record NightResult(ReportTable Table, IReadOnlyDictionary<long, (decimal NightKw, decimal OpenKw, decimal NightKwh)> Circuits, IReadOnlyList<NightShop> Flagged, int NightHours);

    internal sealed record NightShop(SiteFacts.ShopFact Shop, decimal NightKw, decimal OpenKw, decimal Ratio, decimal TargetRatio, decimal Price);

    private sealed class Builder(SiteFacts site, ReportPeriod period, AnalysisOptions options, Text t)
    {
        public string FormatName(BusinessFormat format) => t["Format" + format];

        public ReportTable Summary(Dictionary<long, Sum> totals, Dictionary<long, Sum> previous)
        {
            var table = new ReportTable("summary", t["ReportSummary"],
            [
                new("item", t["Item"], ColumnKind.Text), new("kwh", t["KwhCol"], ColumnKind.Energy), new("cost", t["CostCol"], ColumnKind.Money),
                new("previousKwh", t["PreviousKwhCol"], ColumnKind.Energy), new("changePercent", t["ChangeCol"], ColumnKind.Percent),
                new("estimatedKwh", t["EstimatedKwhCol"], ColumnKind.Energy),
            ]);
            foreach (var (label, purposes) in new (string, MeterPurpose[])[]
            {
                (t["WholeMall"], Consuming), (t["Tenants"], [MeterPurpose.Tenant]), (t["PublicAreas"], [MeterPurpose.PublicArea]), (t["MasterMeters"], [MeterPurpose.Master]),
            })
            {
                bool Of(long meter) => site.Meters.TryGetValue(meter, out var m) && purposes.Contains(m.Purpose);
                var now = Sum.Of(totals.Where(kv => Of(kv.Key)).Select(kv => kv.Value));
                var before = Sum.Of(previous.Where(kv => Of(kv.Key)).Select(kv => kv.Value));
                table.Add(label, now.Kwh, now.Amount, before.Kwh, Change(now.Kwh, before.Kwh), now.EstimatedWh / 1000m);
            }

            table.Note = t.Format("ComparedWith", period.Previous.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), period.Previous.LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            return table;
        }

        public ReportTable ByBand(List<UsageRow> rows, Sum total)
        {
            var table = new ReportTable("by-band", t["ByBand"],
            [
                new("band", t["BandCol"], ColumnKind.Text), new("kwh", t["KwhCol"], ColumnKind.Energy), new("cost", t["CostCol"], ColumnKind.Money),
                new("sharePercent", t["ShareCol"], ColumnKind.Percent), new("averagePrice", t["AvgPriceCol"], ColumnKind.Price),
            ]);
            foreach (var band in Enum.GetValues<TariffBand>())
            {
                var energy = rows.Where(r => r.Band == band).Sum(r => r.EnergyWh) / 1000m;
                var cost = rows.Where(r => r.Band == band).Sum(r => r.Amount.Amount);
                table.Add(t["Band" + band], energy, cost, Share(energy, total.Kwh), energy == 0m ? null : cost / energy);
            }

            return table;
        }

        public ReportTable ByArea(Dictionary<long, Sum> totals, Dictionary<long, Sum> previous, Sum total)
        {
            var table = new ReportTable("by-area", t["ByArea"],
            [
                new("area", t["AreaCol"], ColumnKind.Text), new("name", t["NameCol"], ColumnKind.Text), new("kind", t["KindCol"], ColumnKind.Text),
                new("kwh", t["KwhCol"], ColumnKind.Energy), new("cost", t["CostCol"], ColumnKind.Money), new("sharePercent", t["ShareCol"], ColumnKind.Percent),
                new("previousKwh", t["PreviousKwhCol"], ColumnKind.Energy), new("changePercent", t["ChangeCol"], ColumnKind.Percent),
            ]);
            var groups = Consumers(totals).GroupBy(kv => site.AreaOf(kv.Key)?.Id ?? 0);
            foreach (var group in groups.OrderBy(g => site.Areas.TryGetValue(g.Key, out var a) ? (a.Floor, a.Code) : (int.MaxValue, string.Empty)))
            {
                var now = Sum.Of(group.Select(kv => kv.Value));
                var before = Sum.Of(Consumers(previous).Where(kv => (site.AreaOf(kv.Key)?.Id ?? 0) == group.Key).Select(kv => kv.Value));
                var area = site.Areas.GetValueOrDefault(group.Key);
                table.Add(area?.Code ?? "—", area?.Name ?? string.Empty, area is null ? string.Empty : t["Area" + area.Kind], now.Kwh, now.Amount, Share(now.Kwh, total.Kwh), before.Kwh, Change(now.Kwh, before.Kwh));
            }

            return table;
        }

        public ReportTable ByFormat(Dictionary<long, Sum> totals, Dictionary<long, Sum> previous, Sum total)
        {
            var table = new ReportTable("by-format", t["ByFormat"],
            [
                new("format", t["FormatCol"], ColumnKind.Text), new("shops", t["ShopsCol"], ColumnKind.Count), new("floorAreaM2", t["FloorAreaCol"], ColumnKind.Power),
                new("kwh", t["KwhCol"], ColumnKind.Energy), new("cost", t["CostCol"], ColumnKind.Money), new("kwhPerM2", t["KwhPerM2Col"], ColumnKind.Energy),
                new("sharePercent", t["ShareCol"], ColumnKind.Percent), new("previousKwh", t["PreviousKwhCol"], ColumnKind.Energy), new("changePercent", t["ChangeCol"], ColumnKind.Percent),
            ]);
            foreach (var group in Consumers(totals).GroupBy(kv => site.ShopOf(kv.Key)?.Format ?? BusinessFormat.Other).OrderBy(g => g.Key))
            {
                var now = Sum.Of(group.Select(kv => kv.Value));
                var before = Sum.Of(Consumers(previous).Where(kv => (site.ShopOf(kv.Key)?.Format ?? BusinessFormat.Other) == group.Key).Select(kv => kv.Value));
                var shops = group.Select(kv => site.ShopOf(kv.Key)).OfType<SiteFacts.ShopFact>().DistinctBy(s => s.Id).ToList();
                var area = shops.Sum(s => s.FloorAreaM2);
                table.Add(FormatName(group.Key), (long)shops.Count, area, now.Kwh, now.Amount, area == 0m ? null : now.Kwh / area, Share(now.Kwh, total.Kwh), before.Kwh, Change(now.Kwh, before.Kwh));
            }

            return table;
        }

        public ReportTable ByShop(Dictionary<long, Sum> totals, Dictionary<long, Sum> previous)
        {
            var table = new ReportTable("by-shop", t["ByShop"],
            [
                new("unit", t["UnitCol"], ColumnKind.Text), new("name", t["NameCol"], ColumnKind.Text), new("area", t["AreaCol"], ColumnKind.Text),
                new("format", t["FormatCol"], ColumnKind.Text), new("floorAreaM2", t["FloorAreaCol"], ColumnKind.Power), new("kwh", t["KwhCol"], ColumnKind.Energy),
                new("cost", t["CostCol"], ColumnKind.Money), new("kwhPerM2", t["KwhPerM2Col"], ColumnKind.Energy),
                new("previousKwh", t["PreviousKwhCol"], ColumnKind.Energy), new("changePercent", t["ChangeCol"], ColumnKind.Percent),
            ]);
            var previousByShop = Consumers(previous).GroupBy(kv => site.ShopOf(kv.Key)?.Id ?? 0).ToDictionary(g => g.Key, g => Sum.Of(g.Select(kv => kv.Value)));
            var rows = Consumers(totals).GroupBy(kv => site.ShopOf(kv.Key)?.Id ?? 0)
                .Select(g => (Shop: site.Shops.GetValueOrDefault(g.Key), Now: Sum.Of(g.Select(kv => kv.Value)), Before: previousByShop.GetValueOrDefault(g.Key)))
                .OrderByDescending(r => r.Now.EnergyWh);
            foreach (var (shop, now, before) in rows)
            {
                table.Add(
                    shop?.Unit ?? "—", shop?.Name ?? string.Empty, shop is null ? string.Empty : site.Areas.GetValueOrDefault(shop.AreaId)?.Code ?? string.Empty,
                    shop is null ? string.Empty : FormatName(shop.Format), shop?.FloorAreaM2 ?? 0m, now.Kwh, now.Amount,
                    shop is { FloorAreaM2: > 0m } ? now.Kwh / shop.FloorAreaM2 : null, before.Kwh, Change(now.Kwh, before.Kwh));
            }

            return table;
        }

        public ReportTable ByMeter(Dictionary<long, Sum> totals, Dictionary<long, Sum> previous)
        {
            var table = new ReportTable("by-meter", t["ByMeter"],
            [
                new("serial", t["SerialCol"], ColumnKind.Text), new("purpose", t["PurposeCol"], ColumnKind.Text), new("unit", t["UnitCol"], ColumnKind.Text),
                new("kwh", t["KwhCol"], ColumnKind.Energy), new("cost", t["CostCol"], ColumnKind.Money), new("estimatedKwh", t["EstimatedKwhCol"], ColumnKind.Energy),
                new("previousKwh", t["PreviousKwhCol"], ColumnKind.Energy),
            ]);
            foreach (var meter in site.Meters.Values.OrderBy(m => m.Purpose).ThenBy(m => m.Serial, StringComparer.Ordinal))
            {
                var now = totals.GetValueOrDefault(meter.Id);
                table.Add(meter.Serial, t["Purpose" + meter.Purpose], site.ShopOf(meter.Id)?.Unit ?? string.Empty, now.Kwh, now.Amount, now.EstimatedWh / 1000m, previous.GetValueOrDefault(meter.Id).Kwh);
            }

            return table;
        }

        public ReportTable ByDay(List<UsageRow> daily)
        {
            var table = new ReportTable("by-day", t["UseByDay"],
            [
                new("date", t["DateCol"], ColumnKind.Date), new("sharpKwh", t["BandSharp"], ColumnKind.Energy), new("peakKwh", t["BandPeak"], ColumnKind.Energy),
                new("flatKwh", t["BandFlat"], ColumnKind.Energy), new("valleyKwh", t["BandValley"], ColumnKind.Energy), new("kwh", t["KwhCol"], ColumnKind.Energy),
                new("cost", t["CostCol"], ColumnKind.Money),
            ]);
            for (var day = period.From; day < period.Until; day = day.AddDays(1))
            {
                var rows = daily.Where(r => r.Day == day).ToList();
                decimal Band(TariffBand band) => rows.Where(r => r.Band == band).Sum(r => r.EnergyWh) / 1000m;
                table.Add(day, Band(TariffBand.Sharp), Band(TariffBand.Peak), Band(TariffBand.Flat), Band(TariffBand.Valley), rows.Sum(r => r.EnergyWh) / 1000m, rows.Sum(r => r.Amount.Amount));
            }

            return table;
        }

        public (ReportTable Curve, ReportTable Peaks, decimal PeakKw, DateTimeOffset? PeakAt) LoadCurve(List<UsageRow> hourly, DateTimeOffset from, DateTimeOffset to)
        {
            var areas = hourly.Select(r => r.Key).Distinct().OrderBy(a => site.Areas.TryGetValue(a, out var x) ? (x.Floor, x.Code) : (int.MaxValue, string.Empty)).ToList();
            var columns = new List<ReportColumn> { new("time", t["TimeCol"], ColumnKind.Text), new("mallKw", t["WholeMall"] + " kW", ColumnKind.Power) };
            columns.AddRange(areas.Select(a => new ReportColumn("area" + a.ToString(CultureInfo.InvariantCulture) + "Kw", (site.Areas.GetValueOrDefault(a)?.Code ?? "—") + " kW", ColumnKind.Power)));
            var curve = new ReportTable("load-curve", t["LoadCurve"], columns) { Note = t["LoadCurveNote"] };
            var byHour = hourly.GroupBy(r => r.Bucket).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Key, r => r.EnergyWh));
            var peak = new Dictionary<long, (decimal Kw, DateTimeOffset At)>();
            var energy = new Dictionary<long, long>();
            var hours = 0;
            for (var hour = from; hour < to; hour = hour.AddHours(1))
            {
                hours++;
                var values = byHour.GetValueOrDefault(hour.ToUnixTimeMilliseconds()) ?? [];
                var mall = values.Values.Sum();
                var cells = new List<object?> { TimeZoneInfo.ConvertTime(hour, site.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), mall / 1000m };
                cells.AddRange(areas.Select(a => (object?)(values.GetValueOrDefault(a) / 1000m)));
                curve.Add([.. cells]);
                foreach (var (key, wh) in values.Append(new KeyValuePair<long, long>(-1, mall)))
                {
                    energy[key] = energy.GetValueOrDefault(key) + wh;
                    if (!peak.TryGetValue(key, out var best) || wh / 1000m > best.Kw)
                    {
                        peak[key] = (wh / 1000m, hour);
                    }
                }
            }

            var peaks = new ReportTable("peak-demand", t["PeakDemand"],
            [
                new("area", t["AreaCol"], ColumnKind.Text), new("peakKw", t["PeakKwCol"], ColumnKind.Power), new("at", t["AtCol"], ColumnKind.Text),
                new("averageKw", t["AverageKwCol"], ColumnKind.Power), new("loadFactorPercent", t["LoadFactorCol"], ColumnKind.Percent),
            ])
            { Note = t["PeakNote"] };
            foreach (var key in areas.Prepend(-1))
            {
                if (!peak.TryGetValue(key, out var best))
                {
                    continue;
                }

                var average = hours == 0 ? 0m : energy[key] / 1000m / hours;
                peaks.Add(key == -1 ? t["WholeMall"] : site.Areas.GetValueOrDefault(key)?.Code ?? "—", best.Kw,
                    TimeZoneInfo.ConvertTime(best.At, site.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), average, best.Kw == 0m ? null : average / best.Kw * 100m);
            }

            return (curve, peaks, peak.TryGetValue(-1, out var mallPeak) ? mallPeak.Kw : 0m, peak.TryGetValue(-1, out var at) ? at.At : null);
        }

        public NightResult NightBaseLoad(List<UsageRow> hourOfDay, Dictionary<long, Sum> totals, (int Night, int Open) hours)
        {
            var table = new ReportTable("night-base-load", t["NightBaseLoad"],
            [
                new("unit", t["UnitCol"], ColumnKind.Text), new("name", t["NameCol"], ColumnKind.Text), new("format", t["FormatCol"], ColumnKind.Text),
                new("nightKw", t["NightKwCol"], ColumnKind.Power), new("openKw", t["OpenKwCol"], ColumnKind.Power), new("nightPercent", t["NightRatioCol"], ColumnKind.Percent),
                new("formatMedianPercent", t["FormatMedianCol"], ColumnKind.Percent), new("nightKwh", t["NightKwhCol"], ColumnKind.Energy),
                new("nightCost", t["NightCostCol"], ColumnKind.Money), new("unusual", t["UnusualCol"], ColumnKind.Text),
            ])
            {
                Note = t.Format("NightNote", options.NightStartHour.ToString("00", CultureInfo.InvariantCulture) + ":00", options.NightEndHour.ToString("00", CultureInfo.InvariantCulture) + ":00"),
            };
            var perMeter = hourOfDay.GroupBy(r => r.Key).ToDictionary(
                g => g.Key,
                g => (Night: g.Where(r => options.IsNight((int)r.Bucket)).Sum(r => r.EnergyWh), Open: g.Where(r => !options.IsNight((int)r.Bucket)).Sum(r => r.EnergyWh)));
            var circuits = new Dictionary<long, (decimal NightKw, decimal OpenKw, decimal NightKwh)>();
            foreach (var (meter, e) in perMeter)
            {
                circuits[meter] = (hours.Night == 0 ? 0m : e.Night / 1000m / hours.Night, hours.Open == 0 ? 0m : e.Open / 1000m / hours.Open, e.Night / 1000m);
            }

            var shops = perMeter
                .Where(kv => site.Meters.TryGetValue(kv.Key, out var m) && m.Purpose == MeterPurpose.Tenant && site.ShopOf(kv.Key) is not null)
                .GroupBy(kv => site.ShopOf(kv.Key)!)
                .Select(g =>
                {
                    var night = g.Sum(kv => kv.Value.Night);
                    var open = g.Sum(kv => kv.Value.Open);
                    var sum = Sum.Of(g.Select(kv => totals.GetValueOrDefault(kv.Key)));
                    var nightKw = hours.Night == 0 ? 0m : night / 1000m / hours.Night;
                    var openKw = hours.Open == 0 ? 0m : open / 1000m / hours.Open;
                    return (Shop: g.Key, NightKw: nightKw, OpenKw: openKw, Ratio: openKw == 0m ? 0m : nightKw / openKw, NightKwh: night / 1000m, Price: sum.EnergyWh == 0 ? 0m : sum.Amount / sum.Kwh);
                })
                .ToList();
            var medians = shops.Where(s => s.OpenKw > 0m).GroupBy(s => s.Shop.Format).ToDictionary(g => g.Key, g => Median(g.Select(s => s.Ratio)));
            var flagged = new List<NightShop>();
            foreach (var s in shops.OrderByDescending(s => s.NightKw))
            {
                var median = medians.GetValueOrDefault(s.Shop.Format);
                var limit = Math.Max(0.35m, 2m * median);
                var unusual = s.NightKw >= 0.1m && s.Ratio >= limit;
                if (unusual)
                {
                    flagged.Add(new NightShop(s.Shop, s.NightKw, s.OpenKw, s.Ratio, median, s.Price));
                }

                table.Add(s.Shop.Unit, s.Shop.Name, FormatName(s.Shop.Format), s.NightKw, s.OpenKw, s.Ratio * 100m, median * 100m, s.NightKwh, s.NightKwh * s.Price, unusual ? t["Yes"] : string.Empty);
            }

            return new NightResult(table, circuits, flagged, hours.Night);
        }

        public ReportTable PublicAreas(Dictionary<long, Sum> totals, Sum total, IReadOnlyDictionary<long, (decimal NightKw, decimal OpenKw, decimal NightKwh)> circuits)
        {
            var table = new ReportTable("public-areas", t["PublicAreas"],
            [
                new("unit", t["UnitCol"], ColumnKind.Text), new("name", t["NameCol"], ColumnKind.Text), new("category", t["CategoryCol"], ColumnKind.Text),
                new("area", t["AreaCol"], ColumnKind.Text), new("kwh", t["KwhCol"], ColumnKind.Energy), new("cost", t["CostCol"], ColumnKind.Money),
                new("sharePercent", t["ShareOfMallCol"], ColumnKind.Percent), new("nightKw", t["NightKwCol"], ColumnKind.Power),
            ]);
            var publicMeters = site.Meters.Values.Where(m => m.Purpose == MeterPurpose.PublicArea).ToList();
            var all = Sum.Of(publicMeters.Select(m => totals.GetValueOrDefault(m.Id)));
            foreach (var group in publicMeters.GroupBy(m => site.ShopOf(m.Id)?.Id ?? -m.Id).OrderByDescending(g => g.Sum(m => totals.GetValueOrDefault(m.Id).EnergyWh)))
            {
                var shop = site.Shops.GetValueOrDefault(group.Key);
                var sum = Sum.Of(group.Select(m => totals.GetValueOrDefault(m.Id)));
                table.Add(shop?.Unit ?? group.First().Serial, shop?.Name ?? string.Empty, t["Circuit" + Category(shop?.Name)], shop is null ? string.Empty : site.Areas.GetValueOrDefault(shop.AreaId)?.Code ?? string.Empty,
                    sum.Kwh, sum.Amount, Share(sum.Kwh, total.Kwh), group.Sum(m => circuits.GetValueOrDefault(m.Id).NightKw));
            }

            table.Add(t["AllPublicAreas"], string.Empty, string.Empty, string.Empty, all.Kwh, all.Amount, Share(all.Kwh, total.Kwh), publicMeters.Sum(m => circuits.GetValueOrDefault(m.Id).NightKw));
            return table;
        }

        public ReportTable ApportionmentTable(PublicAreaShares shares)
        {
            var table = new ReportTable("apportionment", t["Apportionment"],
            [
                new("account", t["AccountCol"], ColumnKind.Text), new("tenant", t["TenantCol"], ColumnKind.Text),
                new("basis", shares.Basis == ApportionmentBasis.FloorArea ? t["FloorAreaCol"] : t["KwhCol"], ColumnKind.Power),
                new("weightPercent", t["ShareCol"], ColumnKind.Percent), new("amount", t["ApportionedCol"], ColumnKind.Money),
            ])
            {
                Note = Formula(shares),
            };
            foreach (var share in shares.Shares.OrderBy(s => site.Accounts.GetValueOrDefault(s.Key)?.Number, StringComparer.Ordinal))
            {
                var account = site.Accounts.GetValueOrDefault(share.Key);
                table.Add(account?.Number ?? share.Key.ToString(CultureInfo.InvariantCulture), account?.TenantName ?? string.Empty, share.Weight,
                    shares.TotalWeight == 0m ? 0m : share.Weight / shares.TotalWeight * 100m, Money.FromMinorUnits(share.AmountMinor).Amount);
            }

            table.Add(t["Total"], string.Empty, shares.TotalWeight, shares.TotalWeight == 0m ? 0m : 100m, Money.FromMinorUnits(shares.Shares.Sum(s => s.AmountMinor)).Amount);
            return table;
        }

        public string Formula(PublicAreaShares shares) => t.Format(
            shares.Basis == ApportionmentBasis.FloorArea ? "FormulaFloorArea" : "FormulaMeteredUse",
            Money.FromMinorUnits(shares.PublicCostMinor).Amount.ToString("0.00", CultureInfo.InvariantCulture),
            (shares.PublicEnergyWh / 1000m).ToString("0.###", CultureInfo.InvariantCulture),
            shares.TotalWeight.ToString("0.###", CultureInfo.InvariantCulture),
            shares.Shares.Count(s => s.Weight > 0m));

        public (ReportTable Table, decimal? Percent, bool Flagged) Losses(Dictionary<long, Sum> totals)
        {
            var table = new ReportTable("losses", t["Losses"],
            [
                new("masterKwh", t["MasterKwhCol"], ColumnKind.Energy), new("subMetersKwh", t["SubMetersKwhCol"], ColumnKind.Energy),
                new("lossKwh", t["LossKwhCol"], ColumnKind.Energy), new("lossPercent", t["LossPercentCol"], ColumnKind.Percent),
                new("thresholdPercent", t["ThresholdCol"], ColumnKind.Percent), new("flagged", t["UnusualCol"], ColumnKind.Text),
            ]);
            var master = Sum.Of(site.Meters.Values.Where(m => m.Purpose == MeterPurpose.Master).Select(m => totals.GetValueOrDefault(m.Id)));
            var sub = Sum.Of(site.Meters.Values.Where(m => m.Purpose != MeterPurpose.Master).Select(m => totals.GetValueOrDefault(m.Id)));
            if (!site.Meters.Values.Any(m => m.Purpose == MeterPurpose.Master) || master.EnergyWh == 0)
            {
                table.Note = t["NoMasterMeter"];
                return (table, null, false);
            }

            var loss = master.Kwh - sub.Kwh;
            var percent = loss / master.Kwh * 100m;
            var flagged = Math.Abs(percent) > options.LossThresholdPercent;
            table.Add(master.Kwh, sub.Kwh, loss, percent, options.LossThresholdPercent, flagged ? t["Yes"] : string.Empty);
            table.Note = t["LossNote"];
            return (table, percent, flagged);
        }

        public ReportTable TopConsumers(Dictionary<long, Sum> totals)
        {
            var table = new ReportTable("top-consumers", t["TopConsumers"],
            [
                new("rank", t["RankCol"], ColumnKind.Count), new("unit", t["UnitCol"], ColumnKind.Text), new("name", t["NameCol"], ColumnKind.Text),
                new("format", t["FormatCol"], ColumnKind.Text), new("kwh", t["KwhCol"], ColumnKind.Energy), new("cost", t["CostCol"], ColumnKind.Money),
                new("sharePercent", t["ShareOfTenantsCol"], ColumnKind.Percent), new("kwhPerM2", t["KwhPerM2Col"], ColumnKind.Energy),
            ]);
            var tenantMeters = totals.Where(kv => site.Meters.TryGetValue(kv.Key, out var m) && m.Purpose == MeterPurpose.Tenant && site.ShopOf(kv.Key) is not null).ToList();
            var all = Sum.Of(tenantMeters.Select(kv => kv.Value));
            var rank = 0L;
            foreach (var group in tenantMeters.GroupBy(kv => site.ShopOf(kv.Key)!).Select(g => (Shop: g.Key, Sum: Sum.Of(g.Select(kv => kv.Value)))).OrderByDescending(g => g.Sum.EnergyWh).Take(10))
            {
                table.Add(++rank, group.Shop.Unit, group.Shop.Name, FormatName(group.Shop.Format), group.Sum.Kwh, group.Sum.Amount, Share(group.Sum.Kwh, all.Kwh),
                    group.Shop.FloorAreaM2 == 0m ? null : group.Sum.Kwh / group.Shop.FloorAreaM2);
            }

            return table;
        }

        public ReportTable Anomalies(List<UsageRow> perDay)
        {
            var table = new ReportTable("anomalies", t["Anomalies"],
            [
                new("unit", t["UnitCol"], ColumnKind.Text), new("name", t["NameCol"], ColumnKind.Text), new("date", t["DateCol"], ColumnKind.Date),
                new("kwh", t["KwhCol"], ColumnKind.Energy), new("baselineKwh", t["BaselineCol"], ColumnKind.Energy), new("sigmaKwh", t["SigmaCol"], ColumnKind.Energy),
                new("ratio", t["RatioCol"], ColumnKind.Power),
            ])
            {
                Note = t.Format("AnomalyNote", BaselineDays),
            };
            var found = new List<(SiteFacts.ShopFact Shop, DateOnly Day, decimal Kwh, decimal Mean, decimal Sigma)>();
            foreach (var shop in perDay.Where(r => site.ShopOf(r.Key) is not null).GroupBy(r => site.ShopOf(r.Key)!))
            {
                var days = shop.GroupBy(r => r.Day).ToDictionary(g => g.Key, g => g.Sum(r => r.EnergyWh) / 1000m);
                var baseline = days.Where(d => d.Key < period.From).Select(d => d.Value).ToList();
                if (baseline.Count < 7)
                {
                    continue;
                }

                var mean = baseline.Average();
                var sigma = (decimal)Math.Sqrt((double)baseline.Average(v => (v - mean) * (v - mean)));
                foreach (var (day, kwh) in days.Where(d => d.Key >= period.From))
                {
                    if (mean > 0m && kwh > mean + (3m * sigma) && kwh > 1.5m * mean && kwh - mean >= 1m)
                    {
                        found.Add((shop.Key, day, kwh, mean, sigma));
                    }
                }
            }

            foreach (var a in found.OrderByDescending(a => a.Kwh / a.Mean).Take(200))
            {
                table.Add(a.Shop.Unit, a.Shop.Name, a.Day, a.Kwh, a.Mean, a.Sigma, a.Kwh / a.Mean);
            }

            return table;
        }

        public ReportTable Hints(NightResult night, List<UsageRow> consuming, Sum total, decimal? lossPercent, bool lossFlagged, int anomalies)
        {
            var table = new ReportTable("hints", t["Hints"],
            [
                new("category", t["CategoryCol"], ColumnKind.Text), new("hint", t["HintCol"], ColumnKind.Text),
                new("savingKwhPerMonth", t["SavingKwhCol"], ColumnKind.Energy), new("savingPerMonth", t["SavingCostCol"], ColumnKind.Money),
            ])
            {
                Note = t["HintsNote"],
            };
            var nightHoursPerMonth = options.NightHoursPerDay * 30m;
            foreach (var shop in night.Flagged.OrderByDescending(s => (s.NightKw - (s.OpenKw * s.TargetRatio)) * s.Price).Take(5))
            {
                var avoidableKw = Math.Max(0m, shop.NightKw - (shop.OpenKw * shop.TargetRatio));
                var kwh = avoidableKw * nightHoursPerMonth;
                table.Add(t["HintNightCategory"], t.Format("HintNightShop", shop.Shop.Unit, shop.Shop.Name, Kw(shop.NightKw), Pct(shop.Ratio * 100m), Pct(shop.TargetRatio * 100m)), kwh, kwh * shop.Price);
            }

            var publicPrice = AveragePrice(consuming.Where(r => site.Meters.TryGetValue(r.Key, out var m) && m.Purpose == MeterPurpose.PublicArea));
            foreach (var group in site.Meters.Values.Where(m => m.Purpose == MeterPurpose.PublicArea).GroupBy(m => Category(site.ShopOf(m.Id)?.Name)))
            {
                var nightKw = group.Sum(m => night.Circuits.GetValueOrDefault(m.Id).NightKw);
                var openKw = group.Sum(m => night.Circuits.GetValueOrDefault(m.Id).OpenKw);
                var floor = group.Key == "Lighting" ? 0.15m : 0.25m;
                if (openKw > 0m && nightKw / openKw > floor && nightKw >= 0.5m)
                {
                    var kwh = (nightKw - (openKw * floor)) * nightHoursPerMonth;
                    table.Add(t["HintPublicCategory"], t.Format("HintPublic" + group.Key, Kw(nightKw), Pct(nightKw / openKw * 100m)), kwh, kwh * publicPrice);
                }
            }

            var energy = consuming.Where(r => r.Band is TariffBand.Sharp or TariffBand.Peak).Sum(r => r.EnergyWh) / 1000m;
            var highPrice = AveragePrice(consuming.Where(r => r.Band is TariffBand.Sharp or TariffBand.Peak));
            var valleyPrice = AveragePrice(consuming.Where(r => r.Band == TariffBand.Valley));
            if (total.Kwh > 0m && energy / total.Kwh > 0.4m && highPrice > valleyPrice && valleyPrice > 0m)
            {
                var shifted = energy * 0.1m * 30m / Math.Max(1, period.Days);
                table.Add(t["HintTariffCategory"], t.Format("HintPeakShare", Pct(energy / total.Kwh * 100m), highPrice.ToString("0.00", CultureInfo.InvariantCulture), valleyPrice.ToString("0.00", CultureInfo.InvariantCulture)), 0m, shifted * (highPrice - valleyPrice));
            }

            if (lossFlagged && lossPercent is { } loss)
            {
                table.Add(t["HintLossCategory"], t.Format("HintLosses", Pct(loss)), null, null);
            }

            if (anomalies > 0)
            {
                table.Add(t["HintAnomalyCategory"], t.Format("HintAnomalies", anomalies), null, null);
            }

            return table;
        }

        public string DailyChart(List<UsageRow> daily)
        {
            var days = Enumerable.Range(0, period.Days).Select(i => period.From.AddDays(i)).ToList();
            var series = Enum.GetValues<TariffBand>().Select(band => new ChartSeries(t["Band" + band], SvgChart.BandColor(band),
                [.. days.Select(d => daily.Where(r => r.Day == d && r.Band == band).Sum(r => r.EnergyWh) / 1000m)])).ToList();
            return SvgChart.StackedBars([.. days.Select(d => d.ToString("MM-dd", CultureInfo.InvariantCulture))], series, "kWh", t["UseByDay"]);
        }

        public string LoadChart(List<UsageRow> hourly, DateTimeOffset from, DateTimeOffset to)
        {
            var floors = hourly.Select(r => r.Key).Distinct().OrderBy(a => site.Areas.TryGetValue(a, out var x) ? (x.Floor, x.Code) : (int.MaxValue, string.Empty)).Take(Palette.Length - 1).ToList();
            var byHour = hourly.GroupBy(r => r.Bucket).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Key, r => r.EnergyWh / 1000m));
            var hours = new List<DateTimeOffset>();
            for (var hour = from; hour < to; hour = hour.AddHours(1))
            {
                hours.Add(hour);
            }

            // Up to a month hour by hour; longer periods as each day's peak hour.
            List<(string Label, Dictionary<long, decimal> Values)> points = hours.Count <= 24 * 31
                ? [.. hours.Select(h => (TimeZoneInfo.ConvertTime(h, site.Zone).ToString("MM-dd HH", CultureInfo.InvariantCulture), byHour.GetValueOrDefault(h.ToUnixTimeMilliseconds()) ?? []))]
                : [.. hours.GroupBy(h => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(h, site.Zone).DateTime)).Select(g => (g.Key.ToString("MM-dd", CultureInfo.InvariantCulture),
                    new[] { -1L }.Concat(floors).ToDictionary(k => k, k => g.Max(h => Value(byHour.GetValueOrDefault(h.ToUnixTimeMilliseconds()), k)))))];
            var series = new List<ChartSeries> { new(t["WholeMall"], Palette[0], [.. points.Select(p => p.Values.TryGetValue(-1, out var v) ? v : p.Values.Values.Sum())]) };
            series.AddRange(floors.Select((a, i) => new ChartSeries(site.Areas.GetValueOrDefault(a)?.Code ?? "—", Palette[i + 1], [.. points.Select(p => p.Values.GetValueOrDefault(a))])));
            return SvgChart.Lines([.. points.Select(p => p.Label)], series, "kW", t["LoadCurve"]);

            static decimal Value(Dictionary<long, decimal>? values, long key) => values is null ? 0m : key == -1 ? values.Values.Sum() : values.GetValueOrDefault(key);
        }

        public string GroupChart(IEnumerable<UsageRow> rows, Func<long, string> group, string title)
        {
            var grouped = rows.GroupBy(r => group(r.Key)).OrderByDescending(g => g.Sum(r => r.EnergyWh)).Take(12).ToList();
            var series = Enum.GetValues<TariffBand>().Select(band => new ChartSeries(t["Band" + band], SvgChart.BandColor(band),
                [.. grouped.Select(g => g.Where(r => r.Band == band).Sum(r => r.EnergyWh) / 1000m)])).ToList();
            return SvgChart.StackedBars([.. grouped.Select(g => g.Key)], series, "kWh", title);
        }

        private IEnumerable<KeyValuePair<long, Sum>> Consumers(Dictionary<long, Sum> totals) =>
            totals.Where(kv => site.Meters.TryGetValue(kv.Key, out var m) && m.Purpose != MeterPurpose.Master);

        private static string Category(string? name)
        {
            var text = (name ?? string.Empty).ToLowerInvariant();
            return text.Contains("light", StringComparison.Ordinal) || text.Contains("照明", StringComparison.Ordinal) ? "Lighting"
                : text.Contains("escalator", StringComparison.Ordinal) || text.Contains("lift", StringComparison.Ordinal) || text.Contains("电梯", StringComparison.Ordinal) ? "Escalators"
                : text.Contains("air", StringComparison.Ordinal) || text.Contains("hvac", StringComparison.Ordinal) || text.Contains("空调", StringComparison.Ordinal) ? "AirConditioning"
                : "Other";
        }

        private static decimal AveragePrice(IEnumerable<UsageRow> rows)
        {
            var list = rows.ToList();
            var wh = list.Sum(r => r.EnergyWh);
            return wh == 0 ? 0m : list.Sum(r => r.Amount.Amount) / (wh / 1000m);
        }

        private static decimal Median(IEnumerable<decimal> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count == 0 ? 0m : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2m;
        }

        private static decimal? Share(decimal part, decimal whole) => whole == 0m ? null : part / whole * 100m;

        private static decimal? Change(decimal now, decimal before) => before == 0m ? null : (now - before) / before * 100m;

        private static string Kw(decimal kw) => kw.ToString("0.0", CultureInfo.InvariantCulture);

        private static string Pct(decimal percent) => decimal.Round(percent, 0, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "%";
    }
}
