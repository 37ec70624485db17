using System.IO.Ports;
using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Server.Metering.Acquisition;

/// <summary>
/// The master of one bus (a Modbus TCP gateway, a serial server or DTU, a serial port, a DL/T 645
/// link) opened from its transport settings, and a read of one meter on it by profile. The pollers,
/// test reads of meters whose bus is not being polled, and the command line's <c>read</c> all open
/// their links here.
/// </summary>
public sealed class BusLink : IAsyncDisposable
{
    private BusLink(ModbusMaster? modbus, Dlt645Master? dlt645)
    {
        Modbus = modbus;
        Dlt645 = dlt645;
    }

    /// <summary>The Modbus master (modbus-tcp, rtu-over-tcp, rtu-serial), else null.</summary>
    public ModbusMaster? Modbus { get; }

    /// <summary>The DL/T 645 master (dlt645-tcp, dlt645-serial), else null.</summary>
    public Dlt645Master? Dlt645 { get; }

    public WireStatistics? Statistics => Modbus?.Statistics ?? Dlt645?.Statistics;

    /// <summary>Opens a link as a gateway is configured (serial defaults: 9600 baud, no parity for Modbus RTU, even for DL/T 645).</summary>
    public static BusLink Open(GatewayInfo gateway, MasterOptions link)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        SerialSettings? serial = null;
        if (gateway.SerialDevice is not null)
        {
            var fallback = gateway.Transport == GatewayTransport.Dlt645Serial ? Parity.Even : Parity.None;
            serial = new SerialSettings(gateway.SerialDevice, gateway.BaudRate ?? 9600, SerialSettings.TryParseParity(gateway.Parity, out var parity) ? parity : fallback);
        }

        return Open(gateway.Transport, gateway.Host, gateway.Port, serial, link);
    }

    /// <summary>Opens a link; the connection itself is made by the first request (and remade after a failure).</summary>
    public static BusLink Open(GatewayTransport transport, string? host, int? port, SerialSettings? serial, MasterOptions link, Dlt645MasterOptions? dlt645 = null)
    {
        ArgumentNullException.ThrowIfNull(link);
        var dltOptions = dlt645 ?? new Dlt645MasterOptions { Link = link };
        return transport switch
        {
            GatewayTransport.ModbusTcp => new BusLink(ModbusMaster.CreateTcp(Required(host), Required(port), link), null),
            GatewayTransport.RtuOverTcp => new BusLink(ModbusMaster.CreateRtuOverTcp(Required(host), Required(port), link), null),
            GatewayTransport.RtuSerial => new BusLink(ModbusMaster.CreateRtuSerial(Required(serial), link), null),
            GatewayTransport.Dlt645Tcp => new BusLink(null, Dlt645Master.CreateTcp(Required(host), Required(port), dltOptions)),
            GatewayTransport.Dlt645Serial => new BusLink(null, Dlt645Master.CreateSerial(Required(serial), dltOptions)),
            _ => throw new ArgumentException($"Meters behind a {transport} gateway are not polled.", nameof(transport)),
        };
    }

    /// <summary>Reads every quantity of <paramref name="profile"/> from the meter at <paramref name="unitId"/> (Modbus) or <paramref name="dlt645Address"/> (DL/T 645).</summary>
    public Task<MeterSnapshot> ReadAsync(MeterReader reader, MeterProfile profile, int? unitId, string? dlt645Address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(profile);
        return Modbus is not null
            ? reader.ReadAsync(Modbus, checked((byte)(unitId ?? throw new ArgumentException("A Modbus meter needs a unit id.", nameof(unitId)))), profile, cancellationToken)
            : reader.ReadAsync(Dlt645!, Dlt645Address.Parse(dlt645Address ?? throw new ArgumentException("A DL/T 645 meter needs an address.", nameof(dlt645Address))), profile, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Modbus is not null)
        {
            await Modbus.DisposeAsync();
        }

        if (Dlt645 is not null)
        {
            await Dlt645.DisposeAsync();
        }
    }

    private static T Required<T>(T? value)
        where T : class => value ?? throw new ArgumentException("The transport needs this setting.", nameof(value));

    private static int Required(int? value) => value ?? throw new ArgumentException("The transport needs a port.", nameof(value));
}
