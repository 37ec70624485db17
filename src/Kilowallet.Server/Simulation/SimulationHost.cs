using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Metering.Mqtt;
using Kilowallet.Server.Storage;
using Kilowallet.Simulator;
using Kilowallet.Simulator.Clock;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;
using Kilowallet.Simulator.Wire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using GatewayTransport = Kilowallet.Server.Metering.GatewayTransport;

namespace Kilowallet.Server.Simulation;

/// <summary>
/// Hosts the simulated mall inside the server: builds virtual meters for the simulated sites' meters
/// (as installed in the database), on first start gives their accounts an opening balance and feeds
/// a few weeks of hourly history through the real billing pipeline, then serves the meters on real
/// loopback sockets (Modbus TCP, RTU over TCP, DL/T 645) and as 4G meters on the MQTT broker, and
/// points the gateways at them — so the server polls its own simulator exactly as it would a mall.
/// </summary>
public sealed class SimulationHost(
    IOptions<SimulationOptions> options,
    IDbContextFactory<KilowalletDb> dbFactory,
    TimeProvider clock,
    ReadingBiller biller,
    ChargePoster poster,
    AccountMoney money,
    AcquisitionService acquisition,
    EmbeddedBroker broker,
    IOptions<MqttOptions> mqtt,
    ILogger<SimulationHost> logger) : IHostedService, IAsyncDisposable
{
    private SimulatedMallServers? _servers;

    /// <summary>The mall being simulated (null until started, or when the simulator is off).</summary>
    public SimulatedMall? Mall { get; private set; }

    /// <summary>The control surface (inject events, set relays, change speed) once started.</summary>
    public ISimulationControl? Control { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (clock is not SimulationClock simulationClock)
        {
            return;
        }

        var (definition, meters, lastStored) = await DefineAsync(cancellationToken);
        if (definition.Meters.Count == 0)
        {
            logger.LogInformation("Simulator: no meters at sites {Sites}", string.Join(", ", options.Value.Sites));
            return;
        }

        // An accelerated simulation ran ahead of real time: resume after the last reading it stored, or every
        // reading would be older than the stored ones (and ignored) until simulated time caught up.
        if (lastStored is { } last)
        {
            simulationClock.AdvanceTo(last.AddSeconds(1));
        }

        Mall = SimulatedMall.Create(definition, clock);
        Control = new SimulationControl(Mall, simulationClock);
        if (!await HasReadingsAsync(meters.Values, cancellationToken))
        {
            await BackfillAsync(Mall, meters, cancellationToken);
        }

        var settings = mqtt.Value;
        _servers = await SimulatedMallServers.StartAsync(Mall, new WireOptions
        {
            Mqtt = settings.IsOff ? null : settings.IsEmbedded ? new MqttBroker(settings.EmbeddedAddress, broker.Port) : new MqttBroker(settings.Host, settings.Port),
            TelemetryInterval = TimeSpan.FromSeconds(60),
        }, cancellationToken);
        await PointGatewaysAsync(_servers, cancellationToken);
        await acquisition.ReloadAsync(cancellationToken);
        logger.LogInformation("Simulator: {Meters} meters on {Gateways} gateways at speed {Speed}", definition.Meters.Count, _servers.EndPoints.Count, simulationClock.Speed);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_servers is not null)
        {
            await _servers.DisposeAsync();
            _servers = null;
        }
    }

    private async Task<(MallDefinition Definition, Dictionary<string, (MeterId Id, AccountId? Account)> Meters, DateTimeOffset? LastStored)> DefineAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var codes = options.Value.Sites.ToList();
        var sites = await db.Sites.AsNoTracking().Where(s => codes.Contains(s.Code)).ToListAsync(cancellationToken);
        var siteIds = sites.Select(s => s.Id).ToList();
        var gateways = await db.Gateways.AsNoTracking().Where(g => siteIds.Contains(g.SiteId)).ToListAsync(cancellationToken);
        var rows = await (from m in db.Meters.AsNoTracking()
                          where siteIds.Contains(m.SiteId) && m.Status == MeterStatus.Active && m.GatewayId != null
                          join s in db.Shops on m.ShopId equals (ShopId?)s.Id into shops
                          from shop in shops.DefaultIfEmpty()
                          select new { Meter = m, Shop = shop }).ToListAsync(cancellationToken);
        var simulatedGateways = gateways.Where(g => Kind(g.Transport) is not null).ToDictionary(g => g.Id);
        var definitions = new List<MeterDefinition>();
        var ids = new Dictionary<string, (MeterId, AccountId?)>(StringComparer.Ordinal);
        DateTimeOffset? lastStored = null;
        foreach (var row in rows.Where(r => simulatedGateways.ContainsKey(r.Meter.GatewayId!.Value)))
        {
            var m = row.Meter;
            var gateway = simulatedGateways[m.GatewayId!.Value];
            var last = await LastRegistersAsync(db, m.Id, cancellationToken);
            if (last is { } stored && (lastStored is null || stored.At > lastStored))
            {
                lastStored = stored.At;
            }

            definitions.Add(new MeterDefinition(
                m.Serial, m.ProfileName, gateway.Name, m.UnitId, m.Dlt645Address, Format(m, row.Shop), row.Shop?.FloorAreaM2 ?? 0m,
                row.Shop?.PowerLimitKw ?? (m.PhaseCount == 3 ? 60m : 10m), m.CtRatio, m.PhaseCount, (int)(m.Id.Value % int.MaxValue))
            {
                OpeningKwh = 1_000m + (m.Id.Value * 7_919 % 20_000),
                OpeningEnergy = last?.Energy,
                AutoPressDelay = TimeSpan.FromMinutes(2),
            });
            ids[m.Serial] = (m.Id, m.Purpose == MeterPurpose.Tenant ? m.AccountId : null);
        }

        var emulateWire = options.Value.Speed <= 1;
        var gatewayDefinitions = simulatedGateways.Values
            .Where(g => definitions.Any(d => d.Gateway == g.Name))
            .Select(g => new GatewayDefinition(g.Name, Kind(g.Transport)!.Value) { EmulateWireTime = emulateWire })
            .ToList();
        var site = sites.FirstOrDefault();
        return (new MallDefinition(site?.Name ?? "Simulated mall", gatewayDefinitions, definitions) { TimeZone = site?.TimeZone ?? "Asia/Shanghai" }, ids, lastStored);
    }

    /// <summary>
    /// The registers of the meter's last stored reading and its instant (null when it has none): a restarted simulator
    /// resumes from them, as a real meter keeps its registers, instead of running backwards to its opening reading.
    /// </summary>
    private static async Task<(MeterEnergy Energy, DateTimeOffset At)?> LastRegistersAsync(KilowalletDb db, MeterId meter, CancellationToken cancellationToken)
    {
        var last = await db.Readings.AsNoTracking()
            .Where(r => r.MeterId == meter)
            .OrderByDescending(r => r.At)
            .Select(r => new { r.At, r.EnergyWh, r.SharpWh, r.PeakWh, r.ValleyWh })
            .FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return null;
        }

        // Each band register is truncated on its own, so the bands may sum to a little less than the total; the
        // flat band takes the difference, which keeps the total register where it was. Plus one float32 step: a
        // float register (SDM120 …) reads back within half a step, and the next reading must not go backwards.
        var sharp = Math.Max(0, last.SharpWh ?? 0);
        var peak = Math.Max(0, last.PeakWh ?? 0);
        var valley = Math.Max(0, last.ValleyWh ?? 0);
        var kwh = last.EnergyWh / 1000f;
        var floatStepWh = (long)Math.Ceiling((MathF.BitIncrement(kwh) - kwh) * 1000.0) + 1;
        var flat = Math.Max(0, last.EnergyWh - sharp - peak - valley) + floatStepWh;
        return (new MeterEnergy(sharp * 1_000, peak * 1_000, flat * 1_000, valley * 1_000), last.At);
    }

    private static GatewayTransportKind? Kind(GatewayTransport transport) => transport switch
    {
        GatewayTransport.ModbusTcp => GatewayTransportKind.ModbusTcp,
        GatewayTransport.RtuOverTcp => GatewayTransportKind.RtuOverTcp,
        GatewayTransport.Dlt645Tcp => GatewayTransportKind.Dlt645Tcp,
        GatewayTransport.Mqtt => GatewayTransportKind.Mqtt,
        _ => null,
    };

    /// <summary>The load profile a shop's meter follows: its business format; public circuits by what they feed.</summary>
    private static LoadFormat Format(Meter meter, Sites.Shop? shop)
    {
        if (meter.Purpose == MeterPurpose.Master)
        {
            return LoadFormat.MasterIncomer;
        }

        var name = shop?.Name ?? string.Empty;
        return shop?.BusinessFormat switch
        {
            BusinessFormat.Supermarket => LoadFormat.Supermarket,
            BusinessFormat.Restaurant => LoadFormat.Restaurant,
            BusinessFormat.Apparel => LoadFormat.Apparel,
            BusinessFormat.Electronics => LoadFormat.Electronics,
            BusinessFormat.Services => LoadFormat.Services,
            BusinessFormat.Cinema => LoadFormat.Cinema,
            BusinessFormat.PublicArea when name.Contains("lighting", StringComparison.OrdinalIgnoreCase) => LoadFormat.PublicLighting,
            BusinessFormat.PublicArea when name.Contains("escalator", StringComparison.OrdinalIgnoreCase) => LoadFormat.EscalatorsAndLifts,
            BusinessFormat.PublicArea when name.Contains("air", StringComparison.OrdinalIgnoreCase) => LoadFormat.CentralAirConditioning,
            _ => LoadFormat.Other,
        };
    }

    private async Task<bool> HasReadingsAsync(IEnumerable<(MeterId Id, AccountId? Account)> meters, CancellationToken cancellationToken)
    {
        var ids = meters.Select(m => m.Id).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Readings.AnyAsync(r => ids.Contains(r.MeterId), cancellationToken);
    }

    /// <summary>
    /// First start: each tenant account gets an opening balance sized to its shop's use (some generous,
    /// some short, so the mall shows every state), then the history is billed through the real pipeline.
    /// </summary>
    private async Task BackfillAsync(SimulatedMall mall, Dictionary<string, (MeterId Id, AccountId? Account)> meters, CancellationToken cancellationToken)
    {
        var days = Math.Max(1, options.Value.HistoryDays);
        var now = clock.GetUtcNow();
        var from = new DateTimeOffset(now.UtcDateTime.Date.AddDays(-days), TimeSpan.Zero);
        var history = mall.GenerateHistory(from, TimeSpan.FromHours(1));
        var samples = new List<MeterSample>();
        var usedKwh = new Dictionary<AccountId, decimal>();
        foreach (var meter in history.Meters)
        {
            var (id, account) = meters[meter.Serial];
            var resolution = mall.FindSerial(meter.Serial)!.Kind.EnergyResolutionKwh;
            foreach (var reading in meter.Readings)
            {
                var registers = reading.Energy.ToRegisters(resolution, decimal.MaxValue);
                samples.Add(new MeterSample(
                    id, reading.At, SampleSource.History, Wh(registers.TotalKwh),
                    new Domain.Tariffs.BandEnergyWh(Wh(registers.SharpKwh), Wh(registers.PeakKwh), Wh(registers.FlatKwh), Wh(registers.ValleyKwh)),
                    LiveValues.Empty, RelayReport.Closed, 0));
            }

            if (account is { } a && meter.Readings.Count > 1)
            {
                var kwh = (meter.Readings[^1].Energy.TotalKwh - meter.Readings[0].Energy.TotalKwh) * mall.FindSerial(meter.Serial)!.Definition.CtRatio;
                usedKwh[a] = usedKwh.GetValueOrDefault(a) + kwh;
            }
        }

        foreach (var (account, kwh) in usedKwh)
        {
            // Roughly what the history costs, times a factor between 0.7 and 3: most accounts end in credit, a few run short.
            var factor = 0.7m + ((account.Value * 37 % 24) / 10m);
            var opening = decimal.Round(Math.Max(200m, kwh * 1.0m * factor), 0);
            await money.OpeningBalanceAsync(account, new Money(opening), "demo", IdempotencyKey.ForSystem(string.Create(CultureInfo.InvariantCulture, $"demo-opening:a{account.Value}")), cancellationToken);
        }

        var ordered = samples.OrderBy(s => s.At).ToList();
        foreach (var batch in ordered.Chunk(BillingWriter.BatchSize))
        {
            await biller.ApplyAsync(batch, cancellationToken, TimeSpan.FromHours(1));
        }

        await poster.PostChargesAsync(cancellationToken);
        logger.LogInformation("Simulator: billed {Readings} history readings ({Days} days) for {Meters} meters", ordered.Count, days, history.Meters.Count);
    }

    private static long Wh(decimal kwh) => decimal.ToInt64(decimal.Round(kwh * 1000m, 0, MidpointRounding.ToZero));

    private async Task PointGatewaysAsync(SimulatedMallServers servers, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var codes = options.Value.Sites.ToList();
        var siteIds = await db.Sites.Where(s => codes.Contains(s.Code)).Select(s => s.Id).ToListAsync(cancellationToken);
        foreach (var gateway in await db.Gateways.Where(g => siteIds.Contains(g.SiteId)).ToListAsync(cancellationToken))
        {
            if (servers.EndPoints.TryGetValue(gateway.Name, out var endPoint))
            {
                gateway.Host = endPoint.Address.ToString();
                gateway.Port = endPoint.Port;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
