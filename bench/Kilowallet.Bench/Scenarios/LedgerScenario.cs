using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Hosting;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tenants;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kilowallet.Bench.Scenarios;

/// <summary>
/// The ledger's write rate on the real server (Kestrel on loopback): top-ups through the HTTP API (API key,
/// Idempotency-Key, 8 clients at once over many accounts; each one a ledger posting, its audit record and its
/// "top-up received" notification in one transaction), and charge postings by ChargePoster (closed hourly usage
/// buckets, rated beforehand through ReadingBiller, posted as ledger entries account by account). On SQLite (file,
/// WAL, synchronous=FULL) and, when KILOWALLET_TEST_POSTGRES names a server, on a fresh PostgreSQL database.
/// Ends with the ledger verifier (mismatches must be 0).
/// </summary>
internal sealed class LedgerScenario : IScenario
{
    private const string Password = "Bench-Password-42";
    private const int Clients = 8;

    public string Name => "ledger";

    public string Description => "top-ups (HTTP) and charge postings per second on SQLite and PostgreSQL";

    public async Task RunAsync(Report report, bool quick, CancellationToken cancellationToken)
    {
        var shape = new Shape(Accounts: quick ? 150 : 500, TopUps: quick ? 1_000 : 10_000, Hours: quick ? 12 : 24);
        await RunOnAsync(report, "sqlite", null, shape, cancellationToken);
        if (Environment.GetEnvironmentVariable("KILOWALLET_TEST_POSTGRES") is { Length: > 0 } admin)
        {
            var name = "kw_bench_" + Guid.NewGuid().ToString("N")[..12];
            await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"", cancellationToken);
            try
            {
                await RunOnAsync(report, "postgres", new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString(), shape, cancellationToken);
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None);
            }
        }
        else
        {
            Report.Note("ledger: PostgreSQL skipped (set KILOWALLET_TEST_POSTGRES to an admin connection string to include it)");
        }
    }

    private sealed record Shape(int Accounts, int TopUps, int Hours);

    private static async Task RunOnAsync(Report report, string provider, string? connectionString, Shape shape, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "kw-bench-ledger-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string[] args =
            [
                "--no-demo", "--urls", "http://127.0.0.1:0", "--Storage:Provider", provider, "--Storage:DataDirectory", directory,
                "--Auth:InitialAdminPassword", Password, "--Acquisition:Enabled", "false", "--Notifications:WorkersEnabled", "false",
                "--Simulator:Enabled", "false", "--Mqtt:EmbeddedPort", "0", "--Logging:LogLevel:Default", "Warning",
                "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Critical", // a fresh database's probe of the migrations table

            ];
            await using var app = ServerHost.Build(connectionString is null ? args : [.. args, "--Storage:ConnectionString", connectionString]);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var (accounts, meters, secret) = await SeedAsync(app.Services, shape.Accounts, cancellationToken);

            // Top-ups over HTTP: 8 clients, each request a new Idempotency-Key, accounts in turn.
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, secret);
            var next = -1;
            var latencies = new double[shape.TopUps];
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(
                async () =>
                {
                    for (var i = Interlocked.Increment(ref next); i < shape.TopUps; i = Interlocked.Increment(ref next))
                    {
                        var started = Stopwatch.GetTimestamp();
                        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accounts[i % accounts.Count].Value}/topups")
                        {
                            Content = JsonContent.Create(new { amount = 10m + (i % 90), method = "cash" }),
                        };
                        request.Headers.Add("Idempotency-Key", string.Create(CultureInfo.InvariantCulture, $"bench-{i}"));
                        using var response = await http.SendAsync(request, cancellationToken);
                        if (response.StatusCode != System.Net.HttpStatusCode.Created)
                        {
                            throw new InvalidOperationException($"Top-up {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                        }

                        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    }
                },
                cancellationToken)));
            var topUpSeconds = watch.Elapsed.TotalSeconds;
            Array.Sort(latencies);
            report.Result($"{provider}_topups_per_second", shape.TopUps / topUpSeconds, "top-ups/s");
            report.Result($"{provider}_topup_ms_median", latencies[latencies.Length / 2], "ms");
            report.Result($"{provider}_topup_ms_p95", latencies[(int)(latencies.Length * 0.95)], "ms");

            // Charges: every meter's usage over the hours, rated and accrued (not timed), then the closed hours posted.
            var start = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8));
            var biller = app.Services.GetRequiredService<ReadingBiller>();
            var samples = new List<MeterSample>();
            for (var quarter = 0; quarter <= shape.Hours * 4; quarter++)
            {
                samples.AddRange(meters.Select(m => new MeterSample(m, start.AddMinutes(15 * quarter), SampleSource.Poll, 1_000_000 + (quarter * (100 + (m.Value % 50))), null,
                    LiveValues.Empty, RelayReport.Closed, 0)));
            }

            foreach (var batch in samples.Chunk(BillingWriter.BatchSize))
            {
                await biller.ApplyAsync(batch, cancellationToken, TimeSpan.FromMinutes(15));
            }

            var poster = app.Services.GetRequiredService<ChargePoster>();
            var before = await ChargeEntriesAsync(app.Services, cancellationToken);
            watch.Restart();
            while (await poster.PostChargesAsync(cancellationToken) > 0)
            {
                // Until every closed hour is posted (a pass takes up to 20,000 buckets).
            }

            var postSeconds = watch.Elapsed.TotalSeconds;
            var posted = await ChargeEntriesAsync(app.Services, cancellationToken) - before;
            report.Result($"{provider}_charge_postings_per_second", posted / postSeconds, "entries/s");
            report.Result($"{provider}_charge_entries_posted", posted, "entries");

            var problems = await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(cancellationToken);
            report.Result($"{provider}_ledger_mismatches", problems.Count, "mismatches");
            await app.StopAsync(cancellationToken);
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

    private static async Task<long> ChargeEntriesAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        await services.GetRequiredService<StorageConnections>().ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM ledger_entries WHERE kind = 2";
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            },
            cancellationToken);

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A site with one account and one meter per tenant on a flat plan, and an API key that takes top-ups.</summary>
    private static async Task<(List<AccountId> Accounts, List<MeterId> Meters, string Secret)> SeedAsync(IServiceProvider services, int count, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var site = new Site { Code = "LEDGER", Name = "Ledger bench", TimeZone = "Asia/Shanghai", Currency = "CNY" };
        db.Sites.Add(site);
        await db.SaveChangesAsync(cancellationToken);
        var area = new Area { SiteId = site.Id, Code = "F1", Name = "F1" };
        db.Areas.Add(area);
        await db.SaveChangesAsync(cancellationToken);
        var plan = ExamplePlans.Flat();
        var planRecord = await scope.ServiceProvider.GetRequiredService<TariffService>().SeedPlanAsync(site.Id, plan, "bench", cancellationToken);
        var accounts = new List<AccountId>();
        var meters = new List<MeterId>();
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
            var meter = new Meter { SiteId = site.Id, Serial = $"LM{i}", ProfileName = "sdm120", ShopId = shop.Id, AccountId = account.Id, Purpose = MeterPurpose.Tenant };
            db.Meters.Add(meter);
            await db.SaveChangesAsync(cancellationToken);
            accounts.Add(account.Id);
            meters.Add(meter.Id);
            db.TariffAssignments.Add(new TariffAssignmentRecord { PlanId = planRecord.Id, AccountId = account.Id, From = plan.Versions[0].EffectiveFrom, CreatedBy = "bench" });
        }

        var (_, secret) = scope.ServiceProvider.GetRequiredService<ApiKeyService>().Create(db, "bench", [ApiKeyScopes.Collect], "bench");
        await db.SaveChangesAsync(cancellationToken);
        services.GetRequiredService<TariffCatalog>().Invalidate();
        services.GetRequiredService<MeterDirectory>().Invalidate();
        return (accounts, meters, secret);
    }
}
