using System.Diagnostics;
using System.Net.Http.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Control;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Control;
using Kilowallet.Server.Hosting;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tenants;
using Kilowallet.Simulator;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Wire;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using GatewayTransport = Kilowallet.Server.Metering.GatewayTransport;

namespace Kilowallet.Bench.Scenarios;

/// <summary>
/// Prepaid control latency on loopback: the real server (SQLite on disk, Kestrel) controls one simulated KPM31 on
/// a Modbus TCP gateway with RS485 wire time at 9600 baud. Each run: an energy reading that uses up the credit is put
/// into the reading pipeline as a poll would (billing → balance event → control loop → relay command → read back),
/// timed to the verified trip; then a top-up through the HTTP API, timed to the verified close. The bus carries no
/// polls meanwhile (energy interval of a day), so a command never waits for a poll in flight; the minimum interval
/// between commands is set to zero (configured delays are excluded, as the target says). Also the relay state
/// machine's own figure: from the command being queued to its verification (relay_commands.latency_ms).
/// </summary>
internal sealed class ControlScenario : IScenario
{
    private const string Serial = "BENCH-K1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public string Name => "control";

    public string Description => "latency from an exhausting reading to the verified trip and from a top-up API call to the verified close (p50/p99)";

    public async Task RunAsync(Report report, bool quick, CancellationToken cancellationToken)
    {
        var runs = quick ? 30 : 200;
        var warmup = quick ? 3 : 10;
        var directory = Path.Combine(Path.GetTempPath(), "kw-bench-control-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            await using var app = ServerHost.Build(
            [
                "--no-demo",
                "--urls=http://127.0.0.1:0",
                "--Storage:Provider=sqlite",
                "--Storage:DataDirectory=" + directory,
                "--Mqtt:Mode=off",
                "--Acquisition:EnergyIntervalSeconds=86400",
                "--Control:MinimumCommandInterval=00:00:00",
                "--Notifications:WorkersEnabled=false",
                "--Auth:InitialAdminPassword=Bench-Password-42",
                "--Logging:LogLevel:Default=Warning",
            ]);
            await app.StartAsync(cancellationToken);
            var services = app.Services;
            var address = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var (meter, account, secret) = await SeedAsync(services, cancellationToken);

            var mall = SimulatedMall.Create(
                new MallDefinition("Bench", [new GatewayDefinition("BENCH-BUS", GatewayTransportKind.ModbusTcp)],
                [
                    new MeterDefinition(Serial, "kpm31", "BENCH-BUS", 1, null, LoadFormat.Supermarket, 60m, 10m, 1m, 1, 7) { OverloadTripDelay = TimeSpan.FromDays(1) },
                ]),
                TimeProvider.System);
            await using var servers = await SimulatedMallServers.StartAsync(mall, new WireOptions(), cancellationToken);
            await InstallAsync(services, meter, servers, cancellationToken);

            using var http = new HttpClient { BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)) };
            http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, secret);
            using var updates = services.GetRequiredService<RelayCommandService>().Subscribe();
            var pipeline = services.GetRequiredService<ReadingPipeline>();
            var clock = TimeProvider.System;
            var energyWh = 5_000_000L;
            await pipeline.EnqueueAsync(Reading(meter, clock.GetUtcNow(), energyWh), cancellationToken);

            var trips = new List<double>();
            var closes = new List<double>();
            for (var run = 0; run < warmup + runs; run++)
            {
                // The balance is 45 CNY (opening, or 50 topped up over −5): 50 kWh at 1 CNY/kWh uses it up.
                energyWh += 50_000;
                var started = Stopwatch.GetTimestamp();
                await pipeline.EnqueueAsync(Reading(meter, clock.GetUtcNow(), energyWh), cancellationToken);
                await VerifiedAsync(updates, meter, RelayState.Open, cancellationToken);
                var trip = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

                started = Stopwatch.GetTimestamp();
                using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{account.Value}/topups") { Content = JsonContent.Create(new { amount = 50m }) })
                {
                    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
                    using var response = await http.SendAsync(request, cancellationToken);
                    response.EnsureSuccessStatusCode();
                }

                await VerifiedAsync(updates, meter, RelayState.Closed, cancellationToken);
                var close = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (run >= warmup)
                {
                    trips.Add(trip);
                    closes.Add(close);
                }
            }

            var verified = await CommandLatenciesAsync(services, meter, cancellationToken);
            Report.Note($"{runs} runs after {warmup} warm-up runs; {verified.Count} commands verified; wire time emulated at 9600 baud");
            report.Result("reading_to_verified_trip_p50", Percentile(trips, 0.50), "ms");
            report.Result("reading_to_verified_trip_p99", Percentile(trips, 0.99), "ms");
            report.Result("topup_to_verified_close_p50", Percentile(closes, 0.50), "ms");
            report.Result("topup_to_verified_close_p99", Percentile(closes, 0.99), "ms");
            report.Result("command_queued_to_verified_p50", Percentile(verified, 0.50), "ms");
            report.Result("command_queued_to_verified_p99", Percentile(verified, 0.99), "ms");
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

    private static MeterSample Reading(MeterId meter, DateTimeOffset at, long energyWh) =>
        new(meter, at, SampleSource.Poll, energyWh, null, LiveValues.Empty, RelayReport.Unknown, 0);

    private static async Task VerifiedAsync(RelayCommandService.Subscription updates, MeterId meter, RelayState target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        await foreach (var update in updates.Reader.ReadAllAsync(timeout.Token))
        {
            if (update.Meter == meter && update.Target == target && update.Status == RelayCommandStatus.Verified)
            {
                return;
            }

            if (update.Meter == meter && update.Status == RelayCommandStatus.Failed)
            {
                throw new InvalidOperationException($"The command to {target} failed.");
            }
        }
    }

    private static async Task<List<double>> CommandLatenciesAsync(IServiceProvider services, MeterId meter, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var latencies = await db.RelayCommands.AsNoTracking()
            .Where(c => c.MeterId == meter && c.Status == RelayCommandStatus.Verified && c.LatencyMs != null)
            .Select(c => c.LatencyMs!.Value)
            .ToListAsync(cancellationToken);
        return latencies.ConvertAll(l => (double)l);
    }

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static async Task<(MeterId Meter, AccountId Account, string Secret)> SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var site = new Site { Code = "BENCH", Name = "Bench", TimeZone = "Asia/Shanghai", Currency = "CNY" };
        db.Sites.Add(site);
        await db.SaveChangesAsync(cancellationToken);
        var area = new Area { SiteId = site.Id, Code = "F1", Name = "F1" };
        var tenant = new Tenant { SiteId = site.Id, Code = "T", Name = "Tenant" };
        db.AddRange(area, tenant);
        await db.SaveChangesAsync(cancellationToken);
        var account = new Account
        {
            SiteId = site.Id, TenantId = tenant.Id, Number = "A-BENCH", Status = AccountStatus.Open,
            Warning1Minor = 100_00, Warning2Minor = 50_00, TripLevelMinor = 0, ReconnectLevelMinor = 10_00,
        };

        // No power limit on the shop: the bench's large readings are not judged implausible.
        var shop = new Shop { SiteId = site.Id, AreaId = area.Id, UnitNumber = "B-1", Name = "Bench shop", FloorAreaM2 = 60m };
        var gateway = new Gateway { SiteId = site.Id, Name = "BENCH-BUS", Transport = GatewayTransport.ModbusTcp, TimeoutMs = 1000 };
        db.AddRange(account, shop, gateway);
        await db.SaveChangesAsync(cancellationToken);
        var plan = new TariffPlan("FLAT-BENCH", "Flat", "CNY",
        [
            new TariffVersion(1, new DateOnly(2020, 1, 1), new BandPrices(Flat: 1.00m), [new Domain.Tariffs.Season("All year", 1, 12, [new TariffPeriod(new TimeOnly(0, 0), new TimeOnly(0, 0), TariffBand.Flat)])]),
        ]);
        var tariffs = scope.ServiceProvider.GetRequiredService<TariffService>();
        var planRecord = await tariffs.SeedPlanAsync(site.Id, plan, "bench", cancellationToken);
        await tariffs.AssignAsync(planRecord.Id, account.Id, null, plan.Versions[0].EffectiveFrom, "bench", cancellationToken, allowPast: true);
        await scope.ServiceProvider.GetRequiredService<AccountMoney>().OpeningBalanceAsync(account.Id, Money.Yuan(45m), "bench", IdempotencyKey.ForSystem("bench-opening"), cancellationToken);
        var meter = new Meter
        {
            SiteId = site.Id, Serial = Serial, ProfileName = "kpm31", GatewayId = gateway.Id, UnitId = 1, ShopId = shop.Id, AccountId = account.Id,
            Purpose = MeterPurpose.Tenant, Status = MeterStatus.Active,
        };
        db.Meters.Add(meter);
        var (_, secret) = scope.ServiceProvider.GetRequiredService<ApiKeyService>().Create(db, "bench", [ApiKeyScopes.Collect], "bench");
        await db.SaveChangesAsync(cancellationToken);
        return (meter.Id, account.Id, secret);
    }

    private static async Task InstallAsync(IServiceProvider services, MeterId meter, SimulatedMallServers servers, CancellationToken cancellationToken)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            var gateway = await db.Gateways.SingleAsync(g => g.Name == "BENCH-BUS", cancellationToken);
            var endPoint = servers.EndPointOf("BENCH-BUS");
            gateway.Host = endPoint.Address.ToString();
            gateway.Port = endPoint.Port;
            await db.SaveChangesAsync(cancellationToken);
        }

        services.GetRequiredService<MeterDirectory>().Invalidate();
        await services.GetRequiredService<AcquisitionService>().ReloadAsync(cancellationToken);
        if (await services.GetRequiredService<MeterDirectory>().FindAsync(meter, cancellationToken) is null)
        {
            throw new InvalidOperationException("The bench meter is not in the directory.");
        }
    }
}
