using System.Net;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Dlt645;

/// <summary>
/// A DL/T 645 slave server on TCP: many meters on one simulated bus behind one port (a serial server in
/// transparent mode). Answers the AA×6 wildcard when it serves exactly one meter; delivers broadcast time
/// sync to every meter without replying. Faults come from <see cref="SlaveServerOptions.ReplyPlanner"/>.
/// </summary>
public sealed class Dlt645SlaveServer(SlaveServerOptions? options = null, int replyWakeUpBytes = 0) : IAsyncDisposable
{
    private readonly Dlt645DeviceTable _devices = new();
    private SlaveTcpHost? _host;

    public IPEndPoint EndPoint => _host?.EndPoint ?? throw new InvalidOperationException("The server is not started.");

    public int Port => EndPoint.Port;

    public void AddDevice(IDlt645SlaveDevice device) => _devices.Add(device);

    public bool RemoveDevice(Dlt645Address address) => _devices.Remove(address);

    public void Start()
    {
        if (_host is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        var host = new SlaveTcpHost(new Dlt645SlaveProtocol(_devices, replyWakeUpBytes), options ?? new SlaveServerOptions());
        host.Start();
        _host = host;
    }

    public ValueTask DisposeAsync() => _host?.DisposeAsync() ?? ValueTask.CompletedTask;
}
