using System.Net;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Modbus;

/// <summary>
/// A Modbus slave server on TCP: many unit ids behind one port, like a gateway in front of an RS485 bus,
/// in Modbus TCP (MBAP) or RTU-over-TCP framing. Unknown unit ids get no reply (like a real bus), or
/// exception 0x0B in Modbus TCP when <paramref name="gatewayExceptions"/> is set. Faults (delay, drop, bad
/// CRC) come from <see cref="SlaveServerOptions.ReplyPlanner"/>. Call <see cref="Start"/>, then read
/// <see cref="Port"/>.
/// </summary>
public sealed class ModbusSlaveServer(ModbusFraming framing, SlaveServerOptions? options = null, bool gatewayExceptions = false) : IAsyncDisposable
{
    private readonly ModbusUnitTable _units = new();
    private SlaveTcpHost? _host;

    public ModbusFraming Framing => framing;

    public IPEndPoint EndPoint => _host?.EndPoint ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>The bound port (useful when the options asked for port 0).</summary>
    public int Port => EndPoint.Port;

    public int ConnectionCount => _host?.ConnectionCount ?? 0;

    public void AddDevice(byte unit, IModbusSlaveDevice device) => _units.Add(unit, device);

    public bool RemoveDevice(byte unit) => _units.Remove(unit);

    public void Start()
    {
        if (_host is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        var host = new SlaveTcpHost(new ModbusSlaveProtocol(framing, _units, gatewayExceptions), options ?? new SlaveServerOptions());
        host.Start();
        _host = host;
    }

    public ValueTask DisposeAsync() => _host?.DisposeAsync() ?? ValueTask.CompletedTask;
}
