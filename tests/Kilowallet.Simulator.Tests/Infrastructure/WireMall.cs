using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Transport;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;
using Kilowallet.Simulator.Wire;

namespace Kilowallet.Simulator.Tests.Infrastructure;

/// <summary>
/// A simulated mall (on a fake-driven simulation clock, see <see cref="TestSim"/>) served on real sockets on port 0,
/// with masters to read it. Gateways answer without wire time unless a test asks for it.
/// </summary>
internal sealed class WireMall : IAsyncDisposable
{
    public static readonly MeterProfileCatalog Catalog = MeterProfileCatalog.LoadOrThrow();

    private readonly List<IAsyncDisposable> _owned = [];

    private WireMall(TestSim sim, SimulatedMallServers servers)
    {
        Sim = sim;
        Servers = servers;
    }

    public TestSim Sim { get; }

    public SimulatedMallServers Servers { get; }

    public SimulatedMall Mall => Sim.Mall;

    public VirtualMeter this[string serial] => Sim[serial];

    /// <summary>Noon on a spring Tuesday: the shops are open and drawing power.</summary>
    public static DateTimeOffset Noon => TestSim.SpringTuesday.AddHours(12);

    public static async Task<WireMall> StartAsync(MallDefinition definition, WireOptions? options = null, DateTimeOffset? start = null)
    {
        var sim = new TestSim(definition, start ?? Noon);
        var servers = await SimulatedMallServers.StartAsync(sim.Mall, options ?? new WireOptions(), TestContext.Current.CancellationToken);
        return new WireMall(sim, servers);
    }

    /// <summary>One gateway of one transport with the given meters (wire time off unless <paramref name="baud"/> is given).</summary>
    public static MallDefinition Bus(GatewayTransportKind transport, int? baud, params MeterDefinition[] meters) =>
        new("Wire test mall", [Gateway("BUS", transport, baud)], meters);

    public static GatewayDefinition Gateway(string name, GatewayTransportKind transport, int? baud = null) =>
        new(name, transport) { EmulateWireTime = baud is not null, BaudRate = baud ?? 9600, Turnaround = TimeSpan.FromMilliseconds(20) };

    /// <summary>A meter of <paramref name="kind"/> at unit id (Modbus) or address (DL/T 645) <paramref name="slot"/>, with a non-zero opening reading.</summary>
    public static MeterDefinition Meter(string serial, string kind, int slot, string gateway = "BUS", GatewayTransportKind transport = GatewayTransportKind.ModbusTcp, decimal openingKwh = 1234.56m)
    {
        var k = MeterKinds.Find(kind);
        var dlt645 = transport == GatewayTransportKind.Dlt645Tcp;
        var unit = GatewayTransports.UsesUnitIds(transport) ? slot : (int?)null;
        return new MeterDefinition(serial, kind, gateway, unit, dlt645 ? slot.ToString("D12", CultureInfo.InvariantCulture) : null,
            LoadFormat.Restaurant, k.Phases == 3 ? 300 : 60, k.Phases == 3 ? 60 : 10, 1, k.Phases, 11 + slot)
        {
            OpeningKwh = openingKwh,
        };
    }

    public IPEndPoint EndPoint(string gateway = "BUS") => Servers.EndPointOf(gateway);

    public ModbusMaster Modbus(string gateway = "BUS", int timeoutMs = 1000, int retries = 0)
    {
        var endPoint = EndPoint(gateway);
        var options = new MasterOptions { ResponseTimeout = TimeSpan.FromMilliseconds(timeoutMs), Retries = retries };
        var master = Mall.FindGateway(gateway)!.Transport == GatewayTransportKind.RtuOverTcp
            ? ModbusMaster.CreateRtuOverTcp(endPoint.Address.ToString(), endPoint.Port, options)
            : ModbusMaster.CreateTcp(endPoint.Address.ToString(), endPoint.Port, options);
        _owned.Add(master);
        return master;
    }

    public Dlt645Master Dlt645(string gateway = "BUS", int timeoutMs = 1000)
    {
        var endPoint = EndPoint(gateway);
        var master = Dlt645Master.CreateTcp(endPoint.Address.ToString(), endPoint.Port,
            new Dlt645MasterOptions { Link = new MasterOptions { ResponseTimeout = TimeSpan.FromMilliseconds(timeoutMs), Retries = 0 } });
        _owned.Add(master);
        return master;
    }

    /// <summary>A port that was free a moment ago (for programs that must be told a port).</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await Servers.DisposeAsync();
    }
}
