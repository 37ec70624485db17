using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Modbus;

/// <summary>A Modbus RTU slave on a serial port, serving one or more unit ids (a simulated RS485 bus).</summary>
public sealed class ModbusRtuSerialSlave(SerialSettings settings, Func<SlaveExchange, SlaveReplyPlan>? replyPlanner = null, TimeProvider? timeProvider = null) : IAsyncDisposable
{
    private readonly ModbusUnitTable _units = new();
    private SlaveSerialHost? _host;

    public void AddDevice(byte unit, IModbusSlaveDevice device) => _units.Add(unit, device);

    public bool RemoveDevice(byte unit) => _units.Remove(unit);

    /// <summary>Opens the port and serves it in the background; throws <see cref="IOException"/> when it cannot open.</summary>
    public void Start()
    {
        if (_host is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        var host = new SlaveSerialHost(new ModbusSlaveProtocol(ModbusFraming.Rtu, _units, gatewayExceptions: false), settings, replyPlanner, timeProvider ?? TimeProvider.System);
        host.Start();
        _host = host;
    }

    public ValueTask DisposeAsync() => _host?.DisposeAsync() ?? ValueTask.CompletedTask;
}
