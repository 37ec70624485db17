using System.Net.Http.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Control;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Metering.Mqtt;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tenants;
using Kilowallet.Simulator;
using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;
using Kilowallet.Simulator.Wire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using GatewayTransport = Kilowallet.Server.Metering.GatewayTransport;

namespace Kilowallet.Server.Tests.Infrastructure;

/// <summary>
/// A small simulated mall on real loopback sockets and the real server polling it: a Modbus TCP gateway
/// "BUS-A" with KPM31 meters (direct close), a DL/T 645 bus "BUS-D" with one close-allowed meter, a Modbus RTU
/// over TCP bus "BUS-R" when a meter names it, and optionally a KPM37 4G meter on the server's embedded MQTT broker.
/// The server's site, gateways, meters, shops, one account per meter (100 CNY, thresholds 100/50/0/10) and a flat
/// plan (or the test's own) are made to match. The mall runs on real time unless given a clock (e.g. the server's
/// FakeTimeProvider, so the test moves both and time stands still between steps).
/// </summary>
public sealed class ControlMall : IAsyncDisposable
{
    public const string ModbusGateway = "BUS-A";
    public const string DltGateway = "BUS-D";
    public const string RtuGateway = "BUS-R";
    public const string MqttGateway = "4G";

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly TimeProvider? _serverClock;

    private ControlMall(
        TestDatabase database, KilowalletApp app, SimulatedMall mall, SimulatedMallServers servers, SiteId site, IReadOnlyDictionary<string, Installed> meters,
        IReadOnlyDictionary<string, string?> settings, TimeProvider? serverClock)
    {
        _settings = settings;
        _serverClock = serverClock;
        Database = database;
        App = app;
        Mall = mall;
        Servers = servers;
        Site = site;
        Meters = meters;
    }

    /// <summary>One meter of the mall: the server's ids and its virtual twin.</summary>
    public sealed record Installed(MeterId Id, AccountId Account, ShopId Shop, VirtualMeter Virtual);

    /// <summary>A meter to install. Limits are primary-side kW (the shop's limit and the meter's own sizing).</summary>
    public sealed record Spec(string Serial, string Kind, string Gateway, int? Unit = null, string? Address = null)
    {
        public decimal LimitKw { get; init; } = 10m;

        public bool FeedsOwnGateway { get; init; }

        public bool HighPowerAllowed { get; init; } = true;

        public LoadFormat Format { get; init; } = LoadFormat.Supermarket;

        /// <summary>The meter measures the secondary side of a CT of this ratio.</summary>
        public decimal CtRatio { get; init; } = 1m;
    }

    public TestDatabase Database { get; }

    public KilowalletApp App { get; private set; }

    public IServiceProvider Services => App.Services;

    public SimulatedMall Mall { get; }

    public SimulatedMallServers Servers { get; }

    public SiteId Site { get; }

    public IReadOnlyDictionary<string, Installed> Meters { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>K1–K3 on BUS-A (unit ids 1–3), D1 on BUS-D (address 000000000001).</summary>
    public static IReadOnlyList<Spec> DefaultMeters =>
    [
        new("K1", "kpm31", ModbusGateway, Unit: 1),
        new("K2", "kpm31", ModbusGateway, Unit: 2),
        new("K3", "kpm31", ModbusGateway, Unit: 3),
        new("D1", "dlt645", DltGateway, Address: "000000000001"),
    ];

    /// <summary>Test settings: 1 s polls, short relay retries and safety delays.</summary>
    public static Dictionary<string, string?> FastSettings() => new()
    {
        ["Acquisition:EnergyIntervalSeconds"] = "1",
        ["Acquisition:Retries"] = "0",
        ["Notifications:WorkersEnabled"] = "false",
        ["Control:SweepInterval"] = "00:00:01",
        ["Control:AcknowledgementTimeout"] = "00:00:05",
        ["Control:ReadBackDelay"] = "00:00:00.200",
        ["Control:ReadBackTimeout"] = "00:00:02",
        ["Control:MaxAttempts"] = "3",
        ["Control:InitialBackoff"] = "00:00:00.200",
        ["Control:MaxBackoff"] = "00:00:01",
        ["Control:ExchangeTimeout"] = "00:00:05",
        ["Safety:TickInterval"] = "00:00:00.200",
        ["Safety:OfflineCheckInterval"] = "00:00:00.300",
        ["Safety:Overload:PickupDelay"] = "00:00:01",
        ["Safety:Overload:RecloseDelay"] = "00:00:01.500",
        ["Safety:Overload:MaxRecloses"] = "2",
        ["Safety:Overload:RecloseWindow"] = "00:10:00",
        ["Safety:Voltage:RaiseAfter"] = "00:00:01",
        ["Safety:Voltage:ClearAfter"] = "00:00:01",
        ["Safety:Bypass:RaiseAfter"] = "00:00:01",
        ["Safety:Bypass:ClearAfter"] = "00:00:01",
    };

    public static async Task<ControlMall> StartAsync(
        string provider = "sqlite",
        IReadOnlyList<Spec>? meters = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        TimeProvider? serverClock = null,
        decimal openingBalance = 100m,
        decimal price = 1.00m,
        bool mqtt = false,
        TimeProvider? mallClock = null,
        TariffPlan? plan = null,
        TimeSpan? telemetryInterval = null)
    {
        var specs = (meters ?? DefaultMeters).ToList();
        if (mqtt)
        {
            specs.Add(new Spec("Q1", "kpm37", MqttGateway) { LimitKw = 60m });
        }

        var all = FastSettings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var database = await TestDatabase.CreateAsync(provider);
        var app = new KilowalletApp(database, all, serverClock);
        var services = app.Services;
        SimulatedMallServers? servers = null;
        try
        {
            var (site, accounts, shops, gateways) = await SeedAsync(services, specs, openingBalance, plan ?? FlatPlan(price));
            var definition = new MallDefinition(
                "Control test mall",
                [.. specs.Select(s => s.Gateway).Distinct().Select(g => new GatewayDefinition(g, g switch
                {
                    DltGateway => GatewayTransportKind.Dlt645Tcp,
                    MqttGateway => GatewayTransportKind.Mqtt,
                    RtuGateway => GatewayTransportKind.RtuOverTcp,
                    _ => GatewayTransportKind.ModbusTcp,
                }) { EmulateWireTime = false })],
                [.. specs.Select((s, i) => new MeterDefinition(
                    s.Serial, s.Kind, s.Gateway, s.Unit, s.Address, s.Format, 60m, s.LimitKw, s.CtRatio, s.Kind is "kpm33" or "kpm37" ? 3 : 1, 100 + i)
                {
                    OverloadTripDelay = TimeSpan.FromHours(1),
                    OpeningKwh = 1_000m,
                })]) { TimeZone = "Asia/Shanghai" };
            var mall = SimulatedMall.Create(definition, mallClock ?? TimeProvider.System);
            var broker = services.GetRequiredService<EmbeddedBroker>();
            servers = await SimulatedMallServers.StartAsync(mall, new WireOptions
            {
                Mqtt = mqtt ? new MqttBroker("127.0.0.1", broker.Port) : null,
                TelemetryInterval = telemetryInterval ?? TimeSpan.FromSeconds(2),
                RelayPollInterval = TimeSpan.FromMilliseconds(100),
            }, Ct);

            var installed = await InstallAsync(services, specs, site, accounts, shops, gateways, servers, mall);
            services.GetRequiredService<MeterDirectory>().Invalidate();
            await services.GetRequiredService<AcquisitionService>().ReloadAsync(Ct);
            var result = new ControlMall(database, app, mall, servers, site, installed, all, serverClock);
            if (mqtt)
            {
                await services.GetRequiredService<MqttIngestion>().Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
            }

            if (serverClock is null)
            {
                // Every polled meter answers once before the test begins.
                var live = services.GetRequiredService<LiveStateStore>();
                await Eventually.UntilAsync(
                    () => Task.FromResult(installed.Values.All(m => live.Get(m.Id).At is not null)),
                    "every meter to be read once",
                    TimeSpan.FromSeconds(20));
            }

            return result;
        }
        catch
        {
            if (servers is not null)
            {
                await servers.DisposeAsync();
            }

            await app.DisposeAsync();
            await database.DisposeAsync();
            throw;
        }
    }

    public Installed this[string serial] => Meters[serial];

    /// <summary>The plan every account is on unless a test gives its own: one flat price all day.</summary>
    public static TariffPlan FlatPlan(decimal price) => new("FLAT-CTL", "Flat", "CNY",
    [
        new TariffVersion(1, new DateOnly(2020, 1, 1), new BandPrices(Flat: price), [new Domain.Tariffs.Season("All year", 1, 12, [new TariffPeriod(new TimeOnly(0, 0), new TimeOnly(0, 0), TariffBand.Flat)])]),
    ]);

    /// <summary>Stops the server and starts it again on the same database; the simulated mall keeps running.</summary>
    public async Task RestartAsync(Func<IServiceProvider, Task>? whileStopped = null)
    {
        await App.DisposeAsync();
        if (whileStopped is not null)
        {
            var (connections, factory) = await Database.OpenStorageAsync();
            var services = new ServiceCollection()
                .AddSingleton(connections)
                .AddSingleton<IDbContextFactory<KilowalletDb>>(factory)
                .AddScoped(sp => sp.GetRequiredService<IDbContextFactory<KilowalletDb>>().CreateDbContext())
                .BuildServiceProvider();
            await using (services)
            {
                await whileStopped(services);
            }
        }

        App = new KilowalletApp(Database, _settings, _serverClock);
        await App.Services.GetRequiredService<AcquisitionService>().ReloadAsync(Ct);
    }

    /// <summary>The relay of the virtual meter, read from the meter itself.</summary>
    public Simulator.Meters.RelayState RelayOf(string serial) => Meters[serial].Virtual.Read().Relay;

    public Task UntilRelayAsync(string serial, Simulator.Meters.RelayState state, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => Task.FromResult(RelayOf(serial) == state), $"the relay of {serial} to be {state}", timeout ?? TimeSpan.FromSeconds(15));

    /// <summary>Injects a simulator event ("overload:serial=K1", "offline:gateway=BUS-A" …); returns its id.</summary>
    public EventId Inject(string spec)
    {
        var (target, simulationEvent) = EventSpec.Parse(spec);
        return Mall.Inject(target, simulationEvent);
    }

    /// <summary>An operator's client (API key with the operate scope) and a collect-scope client for top-ups.</summary>
    public Task<HttpClient> OperatorAsync() => App.CreateApiClientAsync(Server.Auth.ApiKeyScopes.Operate);

    /// <summary>Moves money through the real API: a top-up when positive, an operator's adjustment when negative.</summary>
    public async Task MoveAsync(HttpClient client, string serial, decimal amount)
    {
        ArgumentNullException.ThrowIfNull(client);
        var account = Meters[serial].Account.Value;
        var url = amount > 0 ? $"/api/v1/accounts/{account}/topups" : $"/api/v1/accounts/{account}/adjustments";
        object body = amount > 0 ? new { amount } : new { amount, reason = "control test" };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await client.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    public async Task<List<RelayCommandRecord>> CommandsAsync(string serial)
    {
        await using var scope = Services.CreateAsyncScope();
        var id = Meters[serial].Id;
        return await scope.ServiceProvider.GetRequiredService<KilowalletDb>().RelayCommands.AsNoTracking()
            .Where(c => c.MeterId == id).OrderBy(c => c.Sequence).ToListAsync(Ct);
    }

    public async Task<MeterControlRecord?> ControlRowAsync(string serial)
    {
        await using var scope = Services.CreateAsyncScope();
        var id = Meters[serial].Id;
        return await scope.ServiceProvider.GetRequiredService<KilowalletDb>().MeterControl.AsNoTracking().SingleOrDefaultAsync(c => c.MeterId == id, Ct);
    }

    public async Task<List<Server.Alarms.AlarmRecord>> OpenAlarmsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KilowalletDb>().Alarms.AsNoTracking().Where(a => a.ClearedAt == null).ToListAsync(Ct);
    }

    public async Task<List<Server.Alarms.AlarmRecord>> AlarmsOfAsync(string serial)
    {
        await using var scope = Services.CreateAsyncScope();
        var id = Meters[serial].Id.Value;
        return await scope.ServiceProvider.GetRequiredService<KilowalletDb>().Alarms.AsNoTracking()
            .Where(a => a.SourceKind == Domain.Safety.AlarmSourceKind.Meter && a.SourceId == id).OrderBy(a => a.Id).ToListAsync(Ct);
    }

    public async Task<List<Server.Notifications.OutboxMessage>> NotificationsAsync(string serial)
    {
        await using var scope = Services.CreateAsyncScope();
        var account = Meters[serial].Account;
        return await scope.ServiceProvider.GetRequiredService<KilowalletDb>().NotificationOutbox.AsNoTracking()
            .Where(m => m.AccountId == account).OrderBy(m => m.Id).ToListAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Servers.DisposeAsync();
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }

    private static async Task<(SiteId Site, Dictionary<string, AccountId> Accounts, Dictionary<string, ShopId> Shops, Dictionary<string, GatewayId> Gateways)> SeedAsync(
        IServiceProvider services, List<Spec> specs, decimal openingBalance, TariffPlan plan)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var site = new Site { Code = "CTL", Name = "Control test mall", TimeZone = "Asia/Shanghai", Currency = "CNY" };
        db.Sites.Add(site);
        await db.SaveChangesAsync(Ct);
        var area = new Area { SiteId = site.Id, Code = "F1", Name = "F1" };
        var tenant = new Tenant { SiteId = site.Id, Code = "T", Name = "Tenant", Phone = "+8613800000000" };
        db.AddRange(area, tenant);
        await db.SaveChangesAsync(Ct);

        var tariffs = scope.ServiceProvider.GetRequiredService<TariffService>();
        var planRecord = await tariffs.SeedPlanAsync(site.Id, plan, "test", Ct);
        var money = scope.ServiceProvider.GetRequiredService<AccountMoney>();
        var accounts = new Dictionary<string, AccountId>();
        var shops = new Dictionary<string, ShopId>();
        foreach (var spec in specs)
        {
            var account = new Account
            {
                SiteId = site.Id, TenantId = tenant.Id, Number = "A-" + spec.Serial, Status = AccountStatus.Open,
                Warning1Minor = 100_00, Warning2Minor = 50_00, TripLevelMinor = 0, ReconnectLevelMinor = 10_00,
            };
            var shop = new Shop
            {
                SiteId = site.Id, AreaId = area.Id, UnitNumber = "U-" + spec.Serial, Name = "Shop " + spec.Serial,
                PowerLimitKw = spec.LimitKw, HighPowerAppliancesAllowed = spec.HighPowerAllowed, FloorAreaM2 = 60m,
            };
            db.AddRange(account, shop);
            await db.SaveChangesAsync(Ct);
            accounts[spec.Serial] = account.Id;
            shops[spec.Serial] = shop.Id;
            await tariffs.AssignAsync(planRecord.Id, account.Id, null, plan.Versions[0].EffectiveFrom, "test", Ct, allowPast: true);

            // Credit before the meter exists, so the control loop never sees the account empty.
            await money.OpeningBalanceAsync(account.Id, Money.Yuan(openingBalance), "test", IdempotencyKey.ForSystem("opening:" + spec.Serial), Ct);
        }

        var gateways = new Dictionary<string, GatewayId>();
        foreach (var name in specs.Select(s => s.Gateway).Distinct())
        {
            var gateway = new Gateway
            {
                SiteId = site.Id,
                Name = name,
                Transport = name switch
                {
                    DltGateway => GatewayTransport.Dlt645Tcp,
                    MqttGateway => GatewayTransport.Mqtt,
                    RtuGateway => GatewayTransport.RtuOverTcp,
                    _ => GatewayTransport.ModbusTcp,
                },
                TimeoutMs = 1000,
            };
            db.Gateways.Add(gateway);
            await db.SaveChangesAsync(Ct);
            gateways[name] = gateway.Id;
        }

        return (site.Id, accounts, shops, gateways);
    }

    private static async Task<Dictionary<string, Installed>> InstallAsync(
        IServiceProvider services, List<Spec> specs, SiteId site, Dictionary<string, AccountId> accounts, Dictionary<string, ShopId> shops,
        Dictionary<string, GatewayId> gateways, SimulatedMallServers servers, SimulatedMall mall)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        foreach (var gateway in await db.Gateways.Where(g => g.SiteId == site).ToListAsync(Ct))
        {
            if (servers.EndPoints.TryGetValue(gateway.Name, out var endPoint))
            {
                gateway.Host = endPoint.Address.ToString();
                gateway.Port = endPoint.Port;
            }
        }

        var meters = new List<(Spec Spec, Meter Row)>();
        foreach (var spec in specs)
        {
            var row = new Meter
            {
                SiteId = site,
                Serial = spec.Serial,
                ProfileName = spec.Kind,
                GatewayId = gateways[spec.Gateway],
                UnitId = spec.Unit,
                Dlt645Address = spec.Address,
                MqttClientId = spec.Gateway == MqttGateway ? spec.Serial : null,
                PhaseCount = spec.Kind is "kpm33" or "kpm37" ? 3 : 1,
                ShopId = shops[spec.Serial],
                AccountId = accounts[spec.Serial],
                Purpose = MeterPurpose.Tenant,
                Status = MeterStatus.Active,
                FeedsOwnGateway = spec.FeedsOwnGateway,
                CtRatio = spec.CtRatio,
            };
            db.Meters.Add(row);
            meters.Add((spec, row));
        }

        await db.SaveChangesAsync(Ct);
        return meters.ToDictionary(
            m => m.Spec.Serial,
            m => new Installed(m.Row.Id, accounts[m.Spec.Serial], shops[m.Spec.Serial], mall.FindSerial(m.Spec.Serial)!));
    }
}
