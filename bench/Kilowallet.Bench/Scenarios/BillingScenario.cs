using System.Diagnostics;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Alarms;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tenants;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kilowallet.Bench.Scenarios;

/// <summary>
/// Readings ingested, rated and posted per second on SQLite on disk (the embedded default), through
/// the production path (ReadingBiller: insert once, rate at a TOU + ladder tariff, accrue hourly
/// buckets and accounts, watch thresholds; then ChargePoster: post every closed hour to the ledger),
/// and in the same run the raw rate of inserting the same rows into the same table with one prepared
/// single-row INSERT, 2,000 rows per transaction, WAL (the better of a run before and one after the
/// pipeline's). The ratio of the two is the figure we track.
/// </summary>
internal sealed class BillingScenario : IScenario
{
    public string Name => "billing";

    public string Description => "readings ingested+rated+posted per second on SQLite vs raw inserts of the same rows";

    public async Task RunAsync(Report report, bool quick, CancellationToken cancellationToken)
    {
        var meters = quick ? 500 : 1_000;
        var minutes = quick ? 200 : 500;
        var start = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8));
        var directory = Path.Combine(Path.GetTempPath(), "kw-bench-billing-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var host = BuildHost(directory);
            var services = host.Services;
            await services.GetRequiredService<StorageInitializer>().InitializeAsync(cancellationToken);
            var ids = await SeedAsync(services, meters, cancellationToken);
            var samples = new List<MeterSample>(meters * minutes);
            for (var minute = 0; minute < minutes; minute++)
            {
                foreach (var id in ids)
                {
                    samples.Add(new MeterSample(id, start.AddMinutes(minute), SampleSource.Poll, 1_000_000 + (minute * (10 + (id.Value % 20))), null,
                        new LiveValues(229.5, null, null, 4.2, null, null, null, null, null, 0.95, 0.97, 50.01), RelayReport.Closed, 0));
                }
            }

            // As the raw side prepares its statement before timing, the pipeline's snapshots (the meter directory and the
            // tariffs in force, loaded once per process and then every 30 s) are loaded before timing: the first load
            // compiles EF Core queries, a one-time cost that is not the sustained rate.
            var installed = await services.GetRequiredService<MeterDirectory>().ByIdAsync(cancellationToken);
            await services.GetRequiredService<TariffCatalog>().CalendarAsync(installed[ids[0]].Site, cancellationToken);

            // The raw rate is measured before and after the pipeline and the better one kept: measured only after, it
            // paid for the write-back of the pipeline's last commits (raw fsyncs waited on it: ~25% slower than on a
            // quiet disk), which flattered the ratio.
            var rawBefore = RawInsertRate(Path.Combine(directory, "raw-before.db"), samples);

            var biller = services.GetRequiredService<ReadingBiller>();
            var poster = services.GetRequiredService<ChargePoster>();
            var watch = Stopwatch.StartNew();
            var posted = 0;
            foreach (var batch in samples.Chunk(BillingWriter.BatchSize))
            {
                await biller.ApplyAsync(batch, cancellationToken);
            }

            var ingestSeconds = watch.Elapsed.TotalSeconds;
            posted += await poster.PostChargesAsync(cancellationToken);
            var total = watch.Elapsed.TotalSeconds;
            var ours = samples.Count / total;
            report.Result("readings_per_second", ours, "readings/s");
            report.Result("rate_and_accrue_per_second", samples.Count / ingestSeconds, "readings/s");
            report.Result("charge_entries_posted", posted, "entries");

            var problems = await services.GetRequiredService<LedgerVerifier>().VerifyAsync(cancellationToken);
            report.Result("ledger_mismatches", problems.Count, "mismatches");

            var raw = Math.Max(rawBefore, RawInsertRate(Path.Combine(directory, "raw-after.db"), samples));
            report.Result("raw_insert_per_second", raw, "rows/s");
            report.Result("ratio_to_raw", ours / raw, "ratio");
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
        builder.Services.AddSingleton<TariffCatalog>();
        builder.Services.AddSingleton<TariffService>();
        builder.Services.AddKilowalletNotifications(builder.Configuration);
        builder.Services.AddSingleton<AlarmService>();
        return builder.Build();
    }

    private static async Task<List<MeterId>> SeedAsync(IServiceProvider services, int count, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var site = new Site { Code = "BENCH", Name = "Bench", TimeZone = "Asia/Shanghai", Currency = "CNY" };
        db.Sites.Add(site);
        await db.SaveChangesAsync(cancellationToken);
        var area = new Area { SiteId = site.Id, Code = "F1", Name = "F1" };
        db.Areas.Add(area);
        await db.SaveChangesAsync(cancellationToken);
        var plan = ExamplePlans.CommercialTimeOfUse() with { Code = "TOU-TIERED" };
        plan = plan with { Versions = [plan.Versions[0] with { Tiers = [new TariffTier(0, 0m), new TariffTier(200, 0.05m), new TariffTier(800, 0.10m)] }] };
        var planRecord = await scope.ServiceProvider.GetRequiredService<TariffService>().SeedPlanAsync(site.Id, plan, "bench", cancellationToken);
        var ids = new List<MeterId>();
        for (var i = 0; i < count; i++)
        {
            var tenant = new Tenant { SiteId = site.Id, Code = $"T{i}", Name = $"Tenant {i}" };
            var shop = new Shop { SiteId = site.Id, AreaId = area.Id, UnitNumber = $"U{i}", Name = $"Shop {i}", PowerLimitKw = 50m };
            db.AddRange(tenant, shop);
            await db.SaveChangesAsync(cancellationToken);
            var account = new Account
            {
                SiteId = site.Id, TenantId = tenant.Id, Number = $"A{i}", Status = AccountStatus.Open,
                Warning1Minor = 100_00, Warning2Minor = 50_00, ReconnectLevelMinor = 10_00,
            };
            db.Accounts.Add(account);
            await db.SaveChangesAsync(cancellationToken);
            var meter = new Meter { SiteId = site.Id, Serial = $"BM{i}", ProfileName = "sdm120", ShopId = shop.Id, AccountId = account.Id, Purpose = MeterPurpose.Tenant };
            db.Meters.Add(meter);
            await db.SaveChangesAsync(cancellationToken);
            ids.Add(meter.Id);
            db.TariffAssignments.Add(new TariffAssignmentRecord { PlanId = planRecord.Id, AccountId = account.Id, From = plan.Versions[0].EffectiveFrom, CreatedBy = "bench" });
        }

        await db.SaveChangesAsync(cancellationToken);
        services.GetRequiredService<TariffCatalog>().Invalidate();
        services.GetRequiredService<MeterDirectory>().Invalidate();
        return ids;
    }

    /// <summary>The same rows into a fresh copy of the readings table: one prepared single-row INSERT, 2,000 per transaction.</summary>
    private static double RawInsertRate(string path, List<MeterSample> samples)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
                CREATE TABLE readings (meter_id INTEGER NOT NULL, at INTEGER NOT NULL, energy_wh INTEGER NOT NULL, sharp_wh INTEGER, peak_wh INTEGER,
                    flat_wh INTEGER, valley_wh INTEGER, voltage_a REAL, voltage_b REAL, voltage_c REAL, current_a REAL, current_b REAL, current_c REAL,
                    power_kw REAL, power_factor REAL, frequency_hz REAL, relay INTEGER NOT NULL, flags INTEGER NOT NULL, source INTEGER NOT NULL,
                    CONSTRAINT pk_readings PRIMARY KEY (meter_id, at));
                """;
            setup.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO readings VALUES ($0,$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)";
        var p = Enumerable.Range(0, 19).Select(i => insert.Parameters.Add(new SqliteParameter { ParameterName = "$" + i, Value = DBNull.Value })).ToArray();
        insert.Prepare();
        var watch = Stopwatch.StartNew();
        foreach (var batch in samples.Chunk(2_000))
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            foreach (var s in batch)
            {
                p[0].Value = s.Meter.Value;
                p[1].Value = s.At.ToUnixTimeMilliseconds();
                p[2].Value = s.EnergyWh!.Value;
                p[7].Value = s.Live.VoltageA;
                p[10].Value = s.Live.CurrentA;
                p[13].Value = s.Live.PowerKw;
                p[14].Value = s.Live.PowerFactor;
                p[15].Value = s.Live.FrequencyHz;
                p[16].Value = (int)s.Relay;
                p[17].Value = 0;
                p[18].Value = 0;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return samples.Count / watch.Elapsed.TotalSeconds;
    }
}
