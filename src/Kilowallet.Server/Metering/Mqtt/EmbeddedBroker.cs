using System.Net;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace Kilowallet.Server.Metering.Mqtt;

/// <summary>
/// The MQTT broker inside the single-process setup (MQTTnet), with persistent sessions so QoS 1
/// messages for the server's session wait while it restarts. Larger installations point
/// Mqtt:Mode at an external broker instead.
/// </summary>
public sealed class EmbeddedBroker(IOptions<MqttOptions> options, ILogger<EmbeddedBroker> logger) : IHostedService, IDisposable
{
    private MqttServer? _server;

    /// <summary>The port the broker listens on (meaningful once started).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsEmbedded)
        {
            return;
        }

        var port = settings.EmbeddedPort == 0 ? FreePort() : settings.EmbeddedPort;
        try
        {
            _server = await StartOnAsync(settings.EmbeddedAddress, port);
        }
        catch (System.Net.Sockets.SocketException ex) when (settings.EmbeddedPort != 0)
        {
            // Another broker (a local Mosquitto) holds the port: the server still starts, on a free port.
            var fallback = FreePort();
            logger.LogWarning("Mqtt:EmbeddedPort {Port} is in use ({Message}); the embedded broker listens on {Fallback} instead", port, ex.Message, fallback);
            port = fallback;
            _server = await StartOnAsync(settings.EmbeddedAddress, port);
        }

        Port = port;
        logger.LogInformation("Embedded MQTT broker listening on {Address}:{Port}", settings.EmbeddedAddress, port);
    }

    private static async Task<MqttServer> StartOnAsync(string address, int port)
    {
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(address))
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions()
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(serverOptions);
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return;
        }

        try
        {
            await _server.StopAsync();
        }
        catch (InvalidOperationException e)
        {
            // MQTTnet's TCP adapter can enumerate its listener list while a failing accept loop cleans it up;
            // the listeners are closed either way, and a stopping host must not fail for it.
            logger.LogWarning(e, "MQTT broker: stop raced with its own listener cleanup");
        }
    }

    public void Dispose() => _server?.Dispose();

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
