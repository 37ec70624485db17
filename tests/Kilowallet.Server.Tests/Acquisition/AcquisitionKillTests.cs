using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tenants;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Acquisition;

/// <summary>
/// The server as an operator runs it — a child process hosting the simulated mall on real sockets (Modbus TCP, RTU
/// over TCP, DL/T 645, a 4G meter on the embedded MQTT broker) and polling it every second — killed with SIGKILL in
/// the middle of acquisition, three times, and started again on the same database. Afterwards the stored readings
/// of each meter are contiguous: the energy billed is exactly the register's advance from the first stored reading
/// to the last (no interval lost, none billed twice), nothing is quarantined, and the money charged is that energy
/// at the plan's price.
/// </summary>
public sealed class AcquisitionKillTests
{
    private const decimal Price = 1.2345m;
    private const string SiteCode = "KILL";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (string Serial, string Profile, string Gateway, int? Unit, string? Address)[] Meters =
    [
        ("K1", "kpm31", "BUS-A", 1, null),
        ("K2", "kpm31", "BUS-A", 2, null),
        ("R1", "sdm120", "BUS-R", 1, null),
        ("R2", "kpm31", "BUS-R", 2, null),
        ("D1", "dlt645", "BUS-D", null, "000000000001"),
        ("Q1", "kpm37", "4G", null, null),
    ];

    /// <summary>Both databases, in real time and on a clock 60 times faster (which must resume where it was, not at the real now).</summary>
    public static TheoryData<string, int> Cases => new() { { "sqlite", 1 }, { "postgres", 1 }, { "sqlite", 60 }, { "postgres", 60 } };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_server_killed_during_acquisition_and_restarted_loses_no_interval_and_bills_none_twice(string provider, int speed)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var accounts = await SeedAsync(database);
        var environment = new Dictionary<string, string?>(database.Settings)
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Demo:Enabled"] = "false",
            ["Auth:InitialAdminPassword"] = KilowalletApp.AdminPassword,
            ["Simulator:Enabled"] = "true",
            ["Simulator:Sites:0"] = SiteCode,
            ["Simulator:Speed"] = speed.ToString(CultureInfo.InvariantCulture),
            ["Simulator:HistoryDays"] = "1",
            ["Acquisition:EnergyIntervalSeconds"] = speed.ToString(CultureInfo.InvariantCulture), // a poll a real second
            ["Mqtt:EmbeddedPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Notifications:WorkersEnabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Kilowallet"] = "Information",
        };

        var (_, storage) = await database.OpenStorageAsync();
        IDbContextFactory<KilowalletDb> factory = storage;
        for (var run = 0; run < 4; run++)
        {
            var before = await LiveReadingsAsync(factory);
            using var server = ServerProcess.Start([], environment);

            // Every polled meter read live a few times since this start (the 4G meter publishes once a minute, and at
            // once when it connects), then killed wherever it is.
            var goal = run == 0 ? 3 : 2;
            var seen = before;
            try
            {
                await Eventually.UntilAsync(
                    async () =>
                    {
                        Assert.False(server.HasExited, "The server stopped by itself: " + server.Output);
                        seen = await LiveReadingsAsync(factory);
                        return Meters.All(m => seen.GetValueOrDefault(m.Serial) >= before.GetValueOrDefault(m.Serial) + (m.Gateway == "4G" ? 1 : goal));
                    },
                    $"run {run}: every meter to be read live again",
                    TimeSpan.FromSeconds(60));
            }
            catch (Xunit.Sdk.XunitException ex)
            {
                throw new Xunit.Sdk.XunitException($"{ex.Message} Live readings: {string.Join(", ", seen.Select(c => $"{c.Key}={c.Value}"))}. Server output:\n{server.Output}");
            }

            await server.KillAsync();
        }

        await using var db = await factory.CreateDbContextAsync(Ct);
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Code == SiteCode, Ct);
        var meters = await db.Meters.AsNoTracking().Where(m => m.SiteId == site.Id).ToDictionaryAsync(m => m.Serial, Ct);
        var readings = await db.Readings.AsNoTracking().ToListAsync(Ct);
        var usage = await db.UsageHourly.AsNoTracking().ToListAsync(Ct);
        Assert.Empty(await db.QuarantinedIntervals.AsNoTracking().ToListAsync(Ct));
        Assert.Empty(await db.RejectedReadings.AsNoTracking().ToListAsync(Ct));
        foreach (var (serial, profile, _, _, _) in Meters)
        {
            var id = meters[serial].Id;
            var stored = readings.Where(r => r.MeterId == id).OrderBy(r => r.At).ToList();
            var energy = stored.Select(r => EnergyOf(r, profile)).ToList();
            Assert.True(stored.Count(r => r.Source != SampleSource.History) >= 4, $"{serial}: {stored.Count} readings");
            for (var i = 1; i < energy.Count; i++)
            {
                Assert.True(energy[i] >= energy[i - 1], $"{serial}: the register went back from {energy[i - 1]} to {energy[i]} Wh at {stored[i].At:O}");
            }

            var billed = usage.Where(u => u.MeterId == id).Sum(u => u.EnergyWh);
            Assert.Equal(energy[^1] - energy[0], billed);
            Assert.True(billed > 0, $"{serial} used no energy");

            // Charged (posted in whole fen + carried + accrued) = the energy at the flat price, exactly.
            var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accounts[serial], Ct);
            var wallet = await db.LedgerAccounts.AsNoTracking().SingleAsync(l => l.AccountId == account.Id, Ct);
            var postedMinor = -await db.LedgerLines.AsNoTracking().Where(l => l.LedgerAccountId == wallet.Id && l.AmountMinor < 0).SumAsync(l => l.AmountMinor, Ct);
            var charged = (postedMinor * (MoneyPrecision.ToPicoUnits(Money.Yuan(1m)) / 100)) + account.AccruedPico + account.CarryPico;
            Assert.Equal(MoneyPrecision.ToPicoUnits(Money.Yuan(billed * Price / 1000m)), charged);
        }
    }

    /// <summary>The energy the server bills from a reading: the sum of the bands when it trusts the meter's band registers.</summary>
    private static long EnergyOf(MeterReadingRecord reading, string profile) =>
        profile is "kpm31" or "kpm37" or "dlt645" && reading.SharpWh is { } sharp
            ? sharp + reading.PeakWh!.Value + reading.FlatWh!.Value + reading.ValleyWh!.Value
            : reading.EnergyWh;

    private static async Task<Dictionary<string, int>> LiveReadingsAsync(IDbContextFactory<KilowalletDb> factory)
    {
        await using var db = await factory.CreateDbContextAsync(Ct);
        return await db.Readings.AsNoTracking()
            .Where(r => r.Source != SampleSource.History)
            .GroupBy(r => r.MeterId)
            .Select(g => new { g.Key, Count = g.Count() })
            .Join(db.Meters, g => g.Key, m => m.Id, (g, m) => new { m.Serial, g.Count })
            .ToDictionaryAsync(x => x.Serial, x => x.Count, Ct);
    }

    /// <summary>The site as installed: gateways (the hosted simulator points them at its sockets), shops, accounts on a flat plan, meters.</summary>
    private static async Task<Dictionary<string, AccountId>> SeedAsync(TestDatabase database)
    {
        await using var app = new KilowalletApp(database, new Dictionary<string, string?> { ["Acquisition:Enabled"] = "false" });
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var site = new Site { Code = SiteCode, Name = "Kill test mall", TimeZone = "Asia/Shanghai", Currency = "CNY" };
        db.Sites.Add(site);
        await db.SaveChangesAsync(Ct);
        var area = new Area { SiteId = site.Id, Code = "F1", Name = "F1" };
        var tenant = new Tenant { SiteId = site.Id, Code = "T", Name = "Tenant" };
        db.AddRange(area, tenant);
        var gateways = new Dictionary<string, Gateway>
        {
            ["BUS-A"] = new() { SiteId = site.Id, Name = "BUS-A", Transport = GatewayTransport.ModbusTcp, TimeoutMs = 1000 },
            ["BUS-R"] = new() { SiteId = site.Id, Name = "BUS-R", Transport = GatewayTransport.RtuOverTcp, TimeoutMs = 1000 },
            ["BUS-D"] = new() { SiteId = site.Id, Name = "BUS-D", Transport = GatewayTransport.Dlt645Tcp, TimeoutMs = 1000 },
            ["4G"] = new() { SiteId = site.Id, Name = "4G", Transport = GatewayTransport.Mqtt, TimeoutMs = 1000 },
        };
        db.Gateways.AddRange(gateways.Values);
        await db.SaveChangesAsync(Ct);

        var plan = new TariffPlan("FLAT-KILL", "Flat", "CNY",
        [
            new TariffVersion(1, new DateOnly(2020, 1, 1), new BandPrices(Flat: Price), [new Season("All year", 1, 12, [new TariffPeriod(new TimeOnly(0, 0), new TimeOnly(0, 0), TariffBand.Flat)])]),
        ]);
        var tariffs = scope.ServiceProvider.GetRequiredService<TariffService>();
        var planRecord = await tariffs.SeedPlanAsync(site.Id, plan, "test", Ct);
        var accounts = new Dictionary<string, AccountId>();
        foreach (var (serial, profile, gateway, unit, address) in Meters)
        {
            var account = new Account
            {
                SiteId = site.Id, TenantId = tenant.Id, Number = "A-" + serial, Status = AccountStatus.Open,
                Warning1Minor = 100_00, Warning2Minor = 50_00, TripLevelMinor = 0, ReconnectLevelMinor = 10_00,
            };
            var shop = new Shop
            {
                SiteId = site.Id, AreaId = area.Id, UnitNumber = "U-" + serial, Name = "Shop " + serial, BusinessFormat = BusinessFormat.Supermarket,
                FloorAreaM2 = 80m, PowerLimitKw = profile == "kpm37" ? 60m : 10m,
            };
            db.AddRange(account, shop);
            await db.SaveChangesAsync(Ct);
            await tariffs.AssignAsync(planRecord.Id, account.Id, null, plan.Versions[0].EffectiveFrom, "test", Ct, allowPast: true);
            db.Meters.Add(new Meter
            {
                SiteId = site.Id, Serial = serial, ProfileName = profile, GatewayId = gateways[gateway].Id, UnitId = unit, Dlt645Address = address,
                MqttClientId = gateway == "4G" ? serial : null, PhaseCount = profile == "kpm37" ? 3 : 1,
                ShopId = shop.Id, AccountId = account.Id, Purpose = MeterPurpose.Tenant, Status = MeterStatus.Active,
            });
            await db.SaveChangesAsync(Ct);
            accounts[serial] = account.Id;
        }

        return accounts;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
