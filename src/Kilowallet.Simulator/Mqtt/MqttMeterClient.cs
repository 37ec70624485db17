using System.Buffers;
using System.Threading.Channels;
using Kilowallet.Protocols.Mqtt;
using Kilowallet.Simulator.Meters;
using Kilowallet.Simulator.Wire;
using MQTTnet;
using MQTTnet.Protocol;

namespace Kilowallet.Simulator.Mqtt;

/// <summary>
/// One 4G meter on MQTT: a client whose id is the meter's serial. Once connected it publishes telemetry
/// (meters/{serial}/telemetry, QoS 1) at once, then every telemetry interval of simulated time and whenever its relay
/// changes; it executes commands from meters/{serial}/cmd and answers on meters/{serial}/cmd/ack (a repeated command id
/// gets the first answer again, without acting twice). When the broker goes away it reconnects with a doubling delay.
/// While the meter is offline (an injected fault) it publishes nothing and ignores commands. Its own error boundary:
/// whatever fails ends only this meter's connection, which it then re-establishes.
/// </summary>
internal sealed class MqttMeterClient : IAsyncDisposable
{
    private const int RememberedCommands = 64;

    private readonly VirtualMeter _meter;
    private readonly MqttBroker _broker;
    private readonly WireOptions _options;
    private readonly TimeProvider _simulated;
    private readonly TimeZoneInfo _zone;
    private readonly Channel<CommandMessage> _commands = Channel.CreateBounded<CommandMessage>(new BoundedChannelOptions(RememberedCommands) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, AckMessage> _answered = new(StringComparer.Ordinal);
    private readonly Queue<string> _answeredOrder = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _run = Task.CompletedTask;
    private long _sequence;
    private RelayState? _publishedRelay;

    public MqttMeterClient(VirtualMeter meter, MqttBroker broker, WireOptions options, TimeProvider simulated, TimeZoneInfo zone)
    {
        _meter = meter;
        _broker = broker;
        _options = options;
        _simulated = simulated;
        _zone = zone;
        _ = MqttTopics.Telemetry(meter.Serial); // refuses a serial that cannot be a topic level, now rather than when connecting
    }

    public string Serial => _meter.Serial;

    /// <summary>Completes once the first connection attempt has succeeded or failed.</summary>
    public Task FirstAttempt => _firstAttempt.Task;

    public void Start() => _run = RunAsync(_stop.Token);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var factory = new MqttClientFactory();
        var backoff = _options.InitialReconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var client = factory.CreateMqttClient();
            var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            client.DisconnectedAsync += _ =>
            {
                disconnected.TrySetResult();
                return Task.CompletedTask;
            };
            client.ApplicationMessageReceivedAsync += e =>
            {
                // Queued for the meter's loop: publishing from inside this handler would wait on the packet loop it blocks.
                var command = MqttPayloadCodec.DecodeCommand(e.ApplicationMessage.Payload.ToArray());
                if (command.IsValid)
                {
                    _commands.Writer.TryWrite(command.Value!);
                }

                return Task.CompletedTask;
            };

            try
            {
                await ConnectAsync(client, cancellationToken);
                backoff = _options.InitialReconnectDelay;
                _firstAttempt.TrySetResult();
                await ServeAsync(client, disconnected.Task, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await DisconnectQuietlyAsync(client);
                break;
            }
#pragma warning disable CA1031 // Error boundary per meter: a broker that is down, refuses or drops us ends this connection only.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            _firstAttempt.TrySetResult();
            try
            {
                await Task.Delay(backoff, _options.RealTime, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }

        _firstAttempt.TrySetResult();
    }

    private async Task ConnectAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_broker.Host, _broker.Port)
            .WithClientId(_meter.Serial)
            .WithCleanSession(true)
            .WithTimeout(_options.MqttConnectTimeout)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .Build();
        using var timeout = new CancellationTokenSource(_options.MqttConnectTimeout, _options.RealTime);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        await client.ConnectAsync(options, linked.Token);
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(MqttTopics.Command(_meter.Serial), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await client.SubscribeAsync(subscribe, linked.Token);
    }

    /// <summary>Publishes and answers until the connection drops (returns) or the meter is stopped (throws).</summary>
    private async Task ServeAsync(IMqttClient client, Task disconnected, CancellationToken cancellationToken)
    {
        _publishedRelay = null;
        using var timer = new PeriodicTimer(_options.TelemetryInterval, _simulated);
        Task<bool>? tick = null;
        Task? poll = null;
        Task<bool>? command = null;
        var due = true;
        while (true)
        {
            var reading = _meter.Read();
            if (!reading.Communication.Silent && (due || (_meter.Kind.HasRelay && reading.Relay != _publishedRelay)))
            {
                await PublishAsync(client, MqttTopics.Telemetry(_meter.Serial), MqttPayloadCodec.Encode(MeterTelemetry.From(reading, _meter.Kind.HasRelay, _zone, _sequence++)), cancellationToken);
                _publishedRelay = reading.Relay;
            }

            tick ??= timer.WaitForNextTickAsync(cancellationToken).AsTask();
            poll ??= Task.Delay(_options.RelayPollInterval, _options.RealTime, cancellationToken);
            command ??= _commands.Reader.WaitToReadAsync(cancellationToken).AsTask();
            await Task.WhenAny(tick, poll, command, disconnected);
            cancellationToken.ThrowIfCancellationRequested();
            if (disconnected.IsCompleted)
            {
                return;
            }

            due = false;
            if (tick.IsCompleted)
            {
                due = await tick;
                tick = null;
            }

            if (poll.IsCompleted)
            {
                await poll;
                poll = null;
            }

            if (command.IsCompleted)
            {
                await command;
                command = null;
                while (_commands.Reader.TryRead(out var next))
                {
                    await ExecuteAsync(client, next, cancellationToken);
                }
            }
        }
    }

    private async Task ExecuteAsync(IMqttClient client, CommandMessage command, CancellationToken cancellationToken)
    {
        if (_meter.Communication.Silent)
        {
            return;
        }

        if (!_answered.TryGetValue(command.Id, out var ack))
        {
            ack = Execute(command);
            _answered[command.Id] = ack;
            _answeredOrder.Enqueue(command.Id);
            if (_answeredOrder.Count > RememberedCommands)
            {
                _answered.Remove(_answeredOrder.Dequeue());
            }
        }

        await PublishAsync(client, MqttTopics.Acknowledgement(_meter.Serial), MqttPayloadCodec.Encode(ack), cancellationToken);
    }

    private AckMessage Execute(CommandMessage command)
    {
        RelayCommand? relay = command.Command switch
        {
            MeterCommandKind.Trip => RelayCommand.Open,
            MeterCommandKind.Close => RelayCommand.CloseDirect,
            MeterCommandKind.CloseAllowed => RelayCommand.CloseAllowed,
            _ => null,
        };
        if (relay is { } r && _meter.ApplyRelayCommand(r) == RelayOutcome.NoRelay)
        {
            return new AckMessage { Id = command.Id, Status = AckStatus.Error, Error = "the meter has no relay" };
        }

        if (command.Command == MeterCommandKind.TimeSync && command.Time is { } time)
        {
            _meter.SetMeterClock(time);
        }

        return new AckMessage
        {
            Id = command.Id,
            Status = AckStatus.Ok,
            Relay = _meter.Kind.HasRelay ? MeterTelemetry.RelayText(_meter.Read().Relay) : null,
        };
    }

    private static async Task PublishAsync(IMqttClient client, string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await client.PublishAsync(message, cancellationToken);
    }

    private async Task DisconnectQuietlyAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1), _options.RealTime);
        try
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
        }
#pragma warning disable CA1031 // Stopping: a broker that is already gone changes nothing.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
