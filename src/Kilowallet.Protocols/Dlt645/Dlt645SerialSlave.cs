using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Dlt645;

/// <summary>DL/T 645 meters served on a serial port.</summary>
public sealed class Dlt645SerialSlave(SerialSettings settings, Func<SlaveExchange, SlaveReplyPlan>? replyPlanner = null, TimeProvider? timeProvider = null, int replyWakeUpBytes = 0) : IAsyncDisposable
{
    private readonly Dlt645DeviceTable _devices = new();
    private SlaveSerialHost? _host;

    public void AddDevice(IDlt645SlaveDevice device) => _devices.Add(device);

    public bool RemoveDevice(Dlt645Address address) => _devices.Remove(address);

    public void Start()
    {
        if (_host is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        var host = new SlaveSerialHost(new Dlt645SlaveProtocol(_devices, replyWakeUpBytes), settings, replyPlanner, timeProvider ?? TimeProvider.System);
        host.Start();
        _host = host;
    }

    public ValueTask DisposeAsync() => _host?.DisposeAsync() ?? ValueTask.CompletedTask;
}
