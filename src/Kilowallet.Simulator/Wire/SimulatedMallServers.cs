using System.Net;
using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Transport;
using Kilowallet.Simulator.Mqtt;

namespace Kilowallet.Simulator.Wire;

/// <summary>
/// A simulated mall on the wire: for each gateway by its transport, a Modbus TCP gateway (many unit ids on one port),
/// an RTU-over-TCP DTU, or a DL/T 645 serial server over TCP, each one bus (one request at a time, with the gateway's
/// wire time and injected faults); and for MQTT gateways, each 4G meter as an MQTT client of the given broker. Meters
/// answer by their kind's profile in the catalogue, so a corrected profile file changes what is served without code.
/// </summary>
/// <example>
/// <code>
/// await using var servers = await SimulatedMallServers.StartAsync(mall, new WireOptions { Mqtt = new("127.0.0.1", 1883) }, ct);
/// var endPoint = servers.EndPoints["F1-BUS-A"];   // 127.0.0.1:port (port 0 asked for a free one)
/// </code>
/// </example>
public sealed class SimulatedMallServers : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _slaves;
    private readonly List<MqttMeterClient> _meterClients;
    private bool _disposed;

    private SimulatedMallServers(Dictionary<string, IPEndPoint> endPoints, List<IAsyncDisposable> slaves, List<MqttMeterClient> meterClients)
    {
        EndPoints = endPoints;
        _slaves = slaves;
        _meterClients = meterClients;
    }

    /// <summary>The bound endpoint of every TCP gateway (Modbus TCP, RTU over TCP, DL/T 645 over TCP), by gateway name.</summary>
    public IReadOnlyDictionary<string, IPEndPoint> EndPoints { get; }

    /// <summary>Serials of the 4G meters connected (or connecting) to the broker.</summary>
    public IReadOnlyList<string> MqttMeters => [.. _meterClients.Select(c => c.Serial)];

    /// <summary>
    /// Binds every gateway's listener (so <see cref="EndPoints"/> is known on return) and starts the 4G meters, waiting
    /// for each one's first connection attempt (at most <see cref="WireOptions.MqttConnectTimeout"/>; a meter that
    /// could not connect keeps retrying in the background). Refuses, before starting anything, a meter whose kind has no
    /// profile or whose profile has no map for its gateway's protocol, or disagrees with the kind on the phases.
    /// </summary>
    public static async Task<SimulatedMallServers> StartAsync(SimulatedMall mall, WireOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mall);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var catalog = options.Profiles ?? MeterProfileCatalog.LoadOrThrow();
        var profiles = ProfilesFor(mall, catalog, options.Mqtt is not null);

        var endPoints = new Dictionary<string, IPEndPoint>(StringComparer.Ordinal);
        var slaves = new List<IAsyncDisposable>();
        var meterClients = new List<MqttMeterClient>();
        var servers = new SimulatedMallServers(endPoints, slaves, meterClients);
        try
        {
            foreach (var gateway in mall.Gateways)
            {
                switch (gateway.Transport)
                {
                    case GatewayTransportKind.ModbusTcp or GatewayTransportKind.RtuOverTcp:
                        endPoints.Add(gateway.Name, StartModbus(gateway, profiles, options, slaves));
                        break;
                    case GatewayTransportKind.Dlt645Tcp:
                        endPoints.Add(gateway.Name, StartDlt645(gateway, profiles, mall, options, slaves));
                        break;
                    default:
                        if (options.Mqtt is { } broker)
                        {
                            foreach (var meter in gateway.Meters)
                            {
                                var client = new MqttMeterClient(meter, broker, options, mall.Clock, mall.Calendar.Zone);
                                meterClients.Add(client);
                                client.Start();
                            }
                        }

                        break;
                }
            }

            await Task.WhenAll(meterClients.Select(c => c.FirstAttempt)).WaitAsync(cancellationToken);
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>The bound endpoint of a TCP gateway; refuses an unknown (or MQTT) gateway with a sentence.</summary>
    public IPEndPoint EndPointOf(string gateway) =>
        EndPoints.TryGetValue(gateway, out var endPoint)
            ? endPoint
            : throw new ArgumentException($"No TCP gateway named '{gateway}' is served (served: {string.Join(", ", EndPoints.Keys)}).", nameof(gateway));

    /// <summary>Stops every listener (open connections are closed) and disconnects the 4G meters.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Task.WhenAll(_meterClients.Select(c => c.DisposeAsync().AsTask()).Concat(_slaves.Select(s => s.DisposeAsync().AsTask())));
    }

    private static IPEndPoint StartModbus(VirtualGateway gateway, Dictionary<string, MeterProfile> profiles, WireOptions options, List<IAsyncDisposable> slaves)
    {
        var tcp = gateway.Transport == GatewayTransportKind.ModbusTcp;
        var planner = new BusReplyPlanner(gateway, unit => unit is > 0 and < 256 ? gateway.FindUnit((int)unit) : null, tcp ? 4 : 0, options.Seed);
        var server = new ModbusSlaveServer(tcp ? ModbusFraming.Tcp : ModbusFraming.Rtu, SlaveOptions(gateway, options, planner), gatewayExceptions: tcp && options.GatewayExceptions);
        slaves.Add(server);
        var maps = new Dictionary<string, ModbusRegisterMap>(StringComparer.Ordinal);
        foreach (var meter in gateway.Meters)
        {
            var profile = profiles[meter.Kind.Name];
            if (!maps.TryGetValue(profile.Name, out var map))
            {
                map = new ModbusRegisterMap(profile);
                maps.Add(profile.Name, map);
            }

            server.AddDevice((byte)meter.UnitId!.Value, new VirtualModbusDevice(meter, map));
        }

        server.Start();
        return server.EndPoint;
    }

    private static IPEndPoint StartDlt645(VirtualGateway gateway, Dictionary<string, MeterProfile> profiles, SimulatedMall mall, WireOptions options, List<IAsyncDisposable> slaves)
    {
        var byNumber = gateway.Meters.ToDictionary(m => Dlt645Address.Parse(m.Dlt645Address!).Number);
        var planner = new BusReplyPlanner(gateway, number => byNumber.GetValueOrDefault(number), 0, options.Seed);
        var server = new Dlt645SlaveServer(SlaveOptions(gateway, options, planner));
        slaves.Add(server);
        var maps = new Dictionary<string, Dlt645ValueMap>(StringComparer.Ordinal);
        foreach (var meter in gateway.Meters)
        {
            var profile = profiles[meter.Kind.Name];
            if (!maps.TryGetValue(profile.Name, out var map))
            {
                map = new Dlt645ValueMap(profile);
                maps.Add(profile.Name, map);
            }

            server.AddDevice(new VirtualDlt645Device(meter, map, mall.Calendar));
        }

        server.Start();
        return server.EndPoint;
    }

    private static SlaveServerOptions SlaveOptions(VirtualGateway gateway, WireOptions options, BusReplyPlanner planner) => new()
    {
        BindAddress = options.Address,
        Port = options.PortOf(gateway.Name),
        SerializeRequests = true,
        ReplyPlanner = planner.Plan,
        TimeProvider = options.RealTime,
    };

    /// <summary>The profile of every kind served, checked against the kind and the protocol of each meter's gateway.</summary>
    private static Dictionary<string, MeterProfile> ProfilesFor(SimulatedMall mall, MeterProfileCatalog catalog, bool mqtt)
    {
        var profiles = new Dictionary<string, MeterProfile>(StringComparer.Ordinal);
        foreach (var meter in mall.Meters)
        {
            var transport = meter.Gateway.Transport;
            if (transport == GatewayTransportKind.Mqtt && !mqtt)
            {
                continue;
            }

            if (!catalog.TryGet(meter.Kind.Name, out var profile))
            {
                throw new ArgumentException($"Meter {meter.Serial}: no meter profile '{meter.Kind.Name}' in the catalogue (known: {string.Join(", ", catalog.Profiles.Select(p => p.Name).Order(StringComparer.Ordinal))}).", nameof(mall));
            }

            if (profile.Phases != meter.Kind.Phases)
            {
                throw new ArgumentException($"Profile {profile.Name} ({profile.SourceFile}) says {profile.Phases} phase(s) but the simulator's {meter.Kind.Name} meters have {meter.Kind.Phases}; make them agree.", nameof(mall));
            }

            var missing = transport switch
            {
                GatewayTransportKind.ModbusTcp or GatewayTransportKind.RtuOverTcp when profile.Modbus is null => "Modbus",
                GatewayTransportKind.Dlt645Tcp when profile.Dlt645 is null => "DL/T 645",
                GatewayTransportKind.Mqtt when profile.Mqtt is null => "MQTT",
                _ => null,
            };
            if (missing is not null)
            {
                throw new ArgumentException($"Meter {meter.Serial} is on {GatewayTransports.NameOf(transport)} gateway '{meter.Gateway.Name}' but profile {profile.Name} has no {missing} map.", nameof(mall));
            }

            profiles.TryAdd(profile.Name, profile);
        }

        return profiles;
    }
}
