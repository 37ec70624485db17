using System.Diagnostics;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Reports;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tenants;
using Kilowallet.Server.Web.Localization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kilowallet.Bench.Scenarios;

/// <summary>
/// Reports on a big mall, SQLite on disk: 2,000 tenant meters (plus public circuits and a master
/// meter) with a year of hourly usage rows written straight into usage_hourly (the table the billing
/// pipeline fills; 17.5 million rows), and a top-up per account in the ledger. Timed: the monthly
/// statements of every account (data, and each statement's SVG chart), the analysis of a month
/// (every table of the analysis page), and a year of consumption by area and month.
/// --quick: 200 meters and 60 days of history (the statement and analysis month is the last one).
/// </summary>
internal sealed class ReportsScenario : IScenario
{
    public string Name => "reports";

    public string Description => "monthly statements of every tenant and the analysis page on a 2,000-meter mall with a year of hourly data";

    public async Task RunAsync(Report report, bool quick, CancellationToken cancellationToken)
    {
        var tenants = quick ? 200 : 2_000;
        var days = quick ? 60 : 365;
        var directory = Path.Combine(Path.GetTempPath(), "kw-bench-reports-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var host = BuildHost(directory);
            var services = host.Services;
            await services.GetRequiredService<StorageInitializer>().InitializeAsync(cancellationToken);
            var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), zone).DateTime);
            var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
            var (site, meters, accounts) = await SeedAsync(services, tenants, cancellationToken);

            var watch = Stopwatch.StartNew();
            var rows = await FillUsageAsync(services.GetRequiredService<StorageConnections>(), meters, ReportPeriod.Midnight(today.AddDays(-days), zone), days * 24, cancellationToken);
            report.Result("usage_rows", rows, "rows");
            report.Result("fill_seconds", watch.Elapsed.TotalSeconds, "s");
            var money = services.GetRequiredService<AccountMoney>();
            foreach (var account in accounts)
            {
                await money.OpeningBalanceAsync(account, Money.Yuan(500m), "bench", IdempotencyKey.ForSystem("bench-open-" + account.Value), cancellationToken);
            }

            var reports = services.GetRequiredService<ReportService>();
            var facts = (await reports.SiteAsync(site.Value, cancellationToken))!;
            var text = new Text { Language = Language.English };

            watch.Restart();
            var statements = await services.GetRequiredService<StatementService>().BuildAsync(facts, month.Year, month.Month, null, cancellationToken);
            var chars = statements.Sum(s => s.DailyChart(text).Length);
            var statementSeconds = watch.Elapsed.TotalSeconds;
            report.Result("statements", statements.Count, "statements");
            report.Result("statements_seconds", statementSeconds, "s");
            report.Result("statements_per_second", statements.Count / statementSeconds, "statements/s");
            Report.Note($"statement charts: {chars / 1024} KiB of SVG");

            watch.Restart();
            var analysis = await reports.AnalyseAsync(facts, ResolvedPeriod.Resolve(Iso(month), Iso(month.AddMonths(1).AddDays(-1)), today), new AnalysisOptions(), text, cancellationToken);
            report.Result("analysis_month_seconds", watch.Elapsed.TotalSeconds, "s");
            Report.Note($"analysis: {analysis.TotalKwh:0} kWh, {analysis.Tables.Sum(t => t.Rows.Count)} table rows");

            watch.Restart();
            var year = await services.GetRequiredService<ConsumptionReport>().BuildAsync(facts, ResolvedPeriod.Resolve(Iso(today.AddDays(1 - days)), Iso(today), today).Period, "area", "month", text, cancellationToken);
            report.Result("consumption_by_area_and_month_seconds", watch.Elapsed.TotalSeconds, "s");
            Report.Note($"consumption over {days} days: {year.Rows.Count} rows");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean up.
            }
        }
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static IHost BuildHost(string directory)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "sqlite",
            ["Storage:DataDirectory"] = directory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddKilowalletStorage(builder.Configuration);
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddKilowalletLedger(builder.Configuration);
        builder.Services.AddKilowalletMetering();
        builder.Services.AddSingleton<Kilowallet.Server.Tariffs.TariffCatalog>();
        builder.Services.AddSingleton<Kilowallet.Server.Tariffs.TariffService>();
        builder.Services.AddKilowalletReports();
        builder.Services.AddKilowalletNotifications(builder.Configuration);
        builder.Services.AddSingleton<Kilowallet.Server.Alarms.AlarmService>();
        return builder.Build();
    }

    private static async Task<(SiteId Site, List<(long Meter, long Account, int Load)> Meters, List<AccountId> Accounts)> SeedAsync(IServiceProvider services, int count, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var site = new Site { Code = "BIG", Name = "Big Mall", TimeZone = "Asia/Shanghai", Currency = "CNY" };
        db.Sites.Add(site);
        await db.SaveChangesAsync(cancellationToken);
        var areas = Enumerable.Range(1, 5).Select(f => new Area { SiteId = site.Id, Code = "F" + f, Name = "Floor " + f, Kind = AreaKind.Floor, Floor = f }).ToList();
        var plant = new Area { SiteId = site.Id, Code = "PUB", Name = "Plant", Kind = AreaKind.Public };
        db.Areas.AddRange([.. areas, plant]);
        await db.SaveChangesAsync(cancellationToken);
        var formats = new[] { BusinessFormat.Apparel, BusinessFormat.Restaurant, BusinessFormat.Electronics, BusinessFormat.Services, BusinessFormat.Supermarket };
        var shops = Enumerable.Range(0, count).Select(i => new Shop
        {
            SiteId = site.Id, AreaId = areas[i % areas.Count].Id, UnitNumber = $"U{i:D4}", Name = $"Shop {i}", BusinessFormat = formats[i % formats.Length], FloorAreaM2 = 30 + (i % 9 * 15),
        }).ToList();
        var publicShops = new[] { "Public lighting", "Escalators and lifts", "Central air conditioning", "Main incomer" }
            .Select((n, i) => new Shop { SiteId = site.Id, AreaId = plant.Id, UnitNumber = $"PUB-{i}", Name = n, BusinessFormat = BusinessFormat.PublicArea }).ToList();
        var people = Enumerable.Range(0, count).Select(i => new Tenant { SiteId = site.Id, Code = $"T{i:D4}", Name = $"Tenant {i}" }).ToList();
        db.AddRange(shops);
        db.AddRange(publicShops);
        db.AddRange(people);
        await db.SaveChangesAsync(cancellationToken);
        var accounts = people.Select((t, i) => new Account { SiteId = site.Id, TenantId = t.Id, Number = $"A{i:D4}", Status = AccountStatus.Open, Warning1Minor = 100_00, Warning2Minor = 50_00, ReconnectLevelMinor = 10_00 }).ToList();
        db.AddRange(accounts);
        await db.SaveChangesAsync(cancellationToken);
        var meters = shops.Select((s, i) => new Meter { SiteId = site.Id, Serial = $"M{i:D4}", ProfileName = "kpm31", ShopId = s.Id, AccountId = accounts[i].Id, Purpose = MeterPurpose.Tenant }).ToList();
        meters.AddRange(publicShops.Select((s, i) => new Meter { SiteId = site.Id, Serial = $"P{i}", ProfileName = "sdm630", ShopId = s.Id, Purpose = i == 3 ? MeterPurpose.Master : MeterPurpose.PublicArea }));
        db.AddRange(meters);
        await db.SaveChangesAsync(cancellationToken);
        var loads = meters.Select((m, i) => (m.Id.Value, m.AccountId?.Value ?? 0, m.Purpose == MeterPurpose.Master ? count * 1_100 : m.Purpose == MeterPurpose.PublicArea ? count * 150 : 300 + (i % 17 * 120))).ToList();
        return (site.Id, loads, [.. accounts.Select(a => a.Id)]);
    }

    /// <summary>
    /// Hourly rows as the billing pipeline leaves them, in its order (hour after hour, every meter):
    /// one band per meter-hour, priced at 0.35/0.70/1.20 (valley/flat/peak), already posted.
    /// </summary>
    private static async Task<long> FillUsageAsync(StorageConnections connections, List<(long Meter, long Account, int Load)> meters, DateTimeOffset from, int hours, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        long written = 0;
        for (var start = 0; start < hours; start += 24)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO usage_hourly (meter_id, hour_start, band, account_key, energy_wh, amount_pico, estimated_wh, posted_pico, parts)
                VALUES (@m, @h, @b, @a, @e, @p, 0, @p, 1)
                """;
            var m = insert.AddParameter("@m", 0L);
            var h = insert.AddParameter("@h", 0L);
            var b = insert.AddParameter("@b", 0);
            var a = insert.AddParameter("@a", 0L);
            var e = insert.AddParameter("@e", 0L);
            var p = insert.AddParameter("@p", 0L);
            await insert.PrepareAsync(cancellationToken);
            for (var i = start; i < Math.Min(hours, start + 24); i++)
            {
                var hour = from.AddHours(i);
                var local = (hour.UtcDateTime.Hour + 8) % 24;
                var (band, price) = local is >= 23 or < 7 ? (3, 350_000_000L) : local is >= 8 and < 11 or >= 13 and < 16 or >= 19 and < 21 ? (1, 1_200_000_000L) : (2, 700_000_000L);
                h.Value = hour.ToUnixTimeMilliseconds();
                b.Value = band;
                foreach (var (meter, account, load) in meters)
                {
                    var wh = local is >= 10 and < 22 ? load : load / 4;
                    m.Value = meter;
                    a.Value = account;
                    e.Value = (long)wh;
                    p.Value = wh * price;
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                    written++;
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return written;
    }
}
