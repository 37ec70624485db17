using System.Buffers;
using System.Net;
using System.Threading.Channels;
using Kilowallet.Protocols.Mqtt;
using Kilowallet.Simulator.Wire;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Kilowallet.Simulator.Tests.Infrastructure;

/// <summary>
/// A real MQTT broker in-process on a free loopback port that records every message published through it (so nothing
/// is missed while a subscriber connects), and a client that plays the server's side to send commands. MQTTnet's broker
/// does not report a port it picked, so the port is found free first (a tiny window in which another process could take it).
/// </summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private readonly Channel<(string Topic, byte[] Payload)> _received = Channel.CreateUnbounded<(string, byte[])>();
    private readonly List<(string Topic, byte[] Payload)> _seen = [];
    private MqttServer? _server;
    private IMqttClient? _sender;

    private TestBroker(int port) => Port = port;

    public int Port { get; }

    public MqttBroker Address => new("127.0.0.1", Port);

    public static async Task<TestBroker> StartAsync()
    {
        var port = WireMall.FreePort();
        var broker = new TestBroker(port);
        broker._server = await broker.StartServerAsync();
        await broker.ConnectSenderAsync();
        return broker;
    }

    /// <summary>Stops the broker (every client is dropped) and starts a new one on the same port.</summary>
    public async Task RestartAsync(Func<Task> whileDown)
    {
        ArgumentNullException.ThrowIfNull(whileDown);
        _sender?.Dispose();
        var server = _server!;
        await server.StopAsync();
        server.Dispose();
        await whileDown();
        _server = await StartServerAsync();
        await ConnectSenderAsync();
    }

    /// <summary>The next message on a topic that satisfies <paramref name="match"/> (messages seen before count too).</summary>
    public async Task<byte[]> WaitForAsync(string topic, Func<byte[], bool> match, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            foreach (var (t, p) in _seen)
            {
                if (t == topic && match(p))
                {
                    _seen.Remove((t, p));
                    return p;
                }
            }

            while (true)
            {
                var (t, p) = await _received.Reader.ReadAsync(deadline.Token);
                if (t == topic && match(p))
                {
                    return p;
                }

                _seen.Add((t, p));
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"Nothing on {topic} matched within {timeout.TotalSeconds} s; seen: {string.Join(", ", _seen.Select(s => s.Topic))}");
            return [];
        }
    }

    /// <summary>True when something arrives on the topic within <paramref name="window"/> (to show that nothing does).</summary>
    public async Task<bool> AnythingOnAsync(string topic, TimeSpan window)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(window);
        try
        {
            while (true)
            {
                var (t, p) = await _received.Reader.ReadAsync(deadline.Token);
                if (t == topic)
                {
                    return true;
                }

                _seen.Add((t, p));
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async Task SendAsync(string serial, CommandMessage command)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(MqttTopics.Command(serial))
            .WithPayload(MqttPayloadCodec.Encode(command))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await _sender!.PublishAsync(message, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _sender?.Dispose();
        var server = _server!;
        await server.StopAsync();
        server.Dispose();
    }

    private async Task<MqttServer> StartServerAsync()
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(Port)
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        server.InterceptingPublishAsync += e =>
        {
            _received.Writer.TryWrite((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        await server.StartAsync();
        return server;
    }

    private async Task ConnectSenderAsync()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId("kilowallet-test-server").Build(), TestContext.Current.CancellationToken);
        _sender = client;
    }
}
