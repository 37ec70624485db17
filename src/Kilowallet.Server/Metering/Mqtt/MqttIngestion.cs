using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Kilowallet.Protocols.Mqtt;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;
using Kilowallet.Protocols.Transport;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Metrics;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Kilowallet.Server.Metering.Mqtt;

/// <summary>
/// 4G meters over MQTT: the server's client subscribes to every meter's telemetry and command
/// acknowledgements with QoS 1 on a persistent session, and acknowledges a telemetry message to the
/// broker only after its reading is committed — a restart or a crash loses nothing, and a
/// redelivery is stored once. Telemetry in Kilowallet's schema (docs/mqtt.md) is read directly; a
/// vendor's own JSON is read through the meter profile's field mapping. Relay commands are
/// published to meters/{serial}/cmd and answered on meters/{serial}/cmd/ack.
/// </summary>
public sealed class MqttIngestion(
    IOptions<MqttOptions> options,
    EmbeddedBroker broker,
    MeterDirectory meters,
    SampleSink sink,
    KilowalletMetrics metrics,
    TimeProvider clock,
    ILogger<MqttIngestion> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<AckMessage>> _pending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IMqttClient? _client;

    /// <summary>Completes when the first connection to the broker is up.</summary>
    public Task Connected => _connected.Task;

    public bool IsConnected => _client?.IsConnected == true;

    /// <summary>Sends a relay command to a 4G meter and waits for its acknowledgement (with the relay state it reports).</summary>
    public async Task<RelayCommandResult> CommandAsync(MeterContext meter, RelayAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meter);
        var client = _client;
        if (client is null || !client.IsConnected)
        {
            return new RelayCommandResult(ExchangeStatus.ConnectionFailed, RelayState.Unknown, "the MQTT broker is not connected");
        }

        var id = RandomNumberGenerator.GetHexString(16, lowercase: true);
        var completion = new TaskCompletionSource<AckMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        try
        {
            var command = new CommandMessage
            {
                Id = id,
                Command = action switch
                {
                    RelayAction.Trip => MeterCommandKind.Trip,
                    RelayAction.CloseAllowed => MeterCommandKind.CloseAllowed,
                    _ => MeterCommandKind.Close,
                },
                Ts = clock.GetUtcNow(),
            };
            await client.PublishAsync(
                new MqttApplicationMessageBuilder()
                    .WithTopic(MqttTopics.Command(meter.Serial))
                    .WithPayload(MqttPayloadCodec.Encode(command))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build(),
                cancellationToken);
            var ack = await completion.Task.WaitAsync(TimeSpan.FromSeconds(options.Value.CommandTimeoutSeconds), TimeProvider.System, cancellationToken);
            var state = ack.Relay switch
            {
                "closed" => RelayState.Closed,
                "open" => RelayState.Open,
                _ => RelayState.Unknown,
            };
            return ack.Status == AckStatus.Ok
                ? new RelayCommandResult(ExchangeStatus.Success, state, null)
                : new RelayCommandResult(ExchangeStatus.DeviceError, state, ack.Error ?? "the meter refused the command");
        }
        catch (TimeoutException)
        {
            return new RelayCommandResult(ExchangeStatus.Timeout, RelayState.Unknown, "no acknowledgement from the meter");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.IsOff)
        {
            return;
        }

        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            client.DisconnectedAsync += _ =>
            {
                disconnected.TrySetResult();
                return Task.CompletedTask;
            };
            client.ApplicationMessageReceivedAsync += e => OnMessageAsync(e, stoppingToken);
            try
            {
                var (host, port) = settings.IsEmbedded ? (settings.EmbeddedAddress, broker.Port) : (settings.Host, settings.Port);
                var builder = new MqttClientOptionsBuilder()
                    .WithTcpServer(host, port)
                    .WithClientId(settings.ClientId)
                    .WithCleanSession(false)
                    .WithSessionExpiryInterval(uint.MaxValue)
                    .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
                    .WithTimeout(TimeSpan.FromSeconds(10));
                if (settings.Username is { Length: > 0 } user)
                {
                    builder = builder.WithCredentials(user, settings.Password);
                }

                await client.ConnectAsync(builder.Build(), stoppingToken);
                await client.SubscribeAsync(
                    new MqttClientSubscribeOptionsBuilder()
                        .WithTopicFilter("meters/+/telemetry", MqttQualityOfServiceLevel.AtLeastOnce)
                        .WithTopicFilter("meters/+/cmd/ack", MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build(),
                    stoppingToken);
                _client = client;
                _connected.TrySetResult();
                backoff = TimeSpan.FromMilliseconds(500);
                logger.LogInformation("MQTT ingestion connected to {Host}:{Port}", host, port);
                await disconnected.Task.WaitAsync(stoppingToken);
                logger.LogWarning("MQTT ingestion lost the broker; reconnecting");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A broker that is down or refuses us: retry with backoff; the session keeps what was published meanwhile.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning("MQTT ingestion cannot reach the broker ({Message}); retrying in {Delay}", ex.Message, backoff);
            }
            finally
            {
                _client = null;
            }

            await Task.Delay(backoff, TimeProvider.System, stoppingToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e, CancellationToken cancellationToken)
    {
        if (!MqttTopics.TryParse(e.ApplicationMessage.Topic, out var serial, out var kind))
        {
            return;
        }

        var payload = e.ApplicationMessage.Payload.ToArray();
        if (kind == MqttTopicKind.Acknowledgement)
        {
            var ack = MqttPayloadCodec.DecodeAcknowledgement(payload);
            if (ack.IsValid && _pending.TryGetValue(ack.Value!.Id, out var waiting))
            {
                waiting.TrySetResult(ack.Value);
            }

            return;
        }

        if (kind != MqttTopicKind.Telemetry)
        {
            return;
        }

        var meter = await meters.FindBySerialAsync(serial, cancellationToken);
        if (meter is null)
        {
            metrics.Count("kilowallet_mqtt_unknown_meter_total", help: "Telemetry from serials not installed.");
            return;
        }

        var sample = Decode(meter, payload);
        if (sample is null)
        {
            metrics.Count("kilowallet_mqtt_undecodable_total", help: "Telemetry messages that could not be read.");
            return;
        }

        metrics.Count("kilowallet_mqtt_telemetry_total", help: "Telemetry messages received.");
        if (sample.IsEnergyReading)
        {
            // Acknowledged to the broker after the reading is committed; until then the broker keeps it.
            e.AutoAcknowledge = false;
            sample = sample with { AfterCommit = () => e.AcknowledgeAsync(CancellationToken.None) };
        }

        await sink.AcceptAsync(sample, cancellationToken);
    }

    private MeterSample? Decode(MeterContext meter, byte[] payload)
    {
        var standard = MqttPayloadCodec.DecodeTelemetry(payload);
        if (standard.IsValid)
        {
            var t = standard.Value!;
            var phases = t.Phases ?? [];
            var live = new LiveValues(
                Phase(phases, 0)?.V, Phase(phases, 1)?.V, Phase(phases, 2)?.V,
                Phase(phases, 0)?.I, Phase(phases, 1)?.I, Phase(phases, 2)?.I,
                Phase(phases, 0)?.P, Phase(phases, 1)?.P, Phase(phases, 2)?.P,
                t.P, t.Pf, t.F);
            Domain.Tariffs.BandEnergyWh? bands = t.Energy.Sharp is { } s && t.Energy.Peak is { } p && t.Energy.Flat is { } f && t.Energy.Valley is { } v
                ? new(SnapshotConversion.Wh(s), SnapshotConversion.Wh(p), SnapshotConversion.Wh(f), SnapshotConversion.Wh(v))
                : null;
            var relay = t.Relay switch
            {
                "closed" => RelayReport.Closed,
                "open" => RelayReport.Open,
                _ => RelayReport.Unknown,
            };
            return new MeterSample(meter.Id, t.Ts, SampleSource.Mqtt, SnapshotConversion.Wh(MeterValues.RoundEnergy(t.Energy.Total)), bands, live, relay, 0);
        }

        if (meter.Profile.Mqtt is not null)
        {
            var mapped = MqttFieldMapper.Map(meter.Profile, payload, clock.GetUtcNow());
            if (mapped.IsValid)
            {
                return SnapshotConversion.ToSample(meter.Id, mapped.Value!, mapped.Value!.ReadAt, SampleSource.Mqtt, energy: true);
            }
        }

        logger.LogDebug("Telemetry of {Serial} could not be read: {Reason}", meter.Serial, standard.Reason);
        return null;
    }

    private static TelemetryPhase? Phase(IReadOnlyList<TelemetryPhase> phases, int index) => index < phases.Count ? phases[index] : null;
}
