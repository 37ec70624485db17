using System.Text.Json;

namespace Kilowallet.Protocols.Mqtt;

/// <summary>
/// Encodes and decodes the MQTT JSON payloads of schema v1 (docs/mqtt.md). Decoding never throws on bad
/// input: it returns an invalid result with a reason.
/// </summary>
public static class MqttPayloadCodec
{
    public static byte[] Encode(TelemetryMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, MqttJsonContext.Default.TelemetryMessage);

    public static byte[] Encode(CommandMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, MqttJsonContext.Default.CommandMessage);

    public static byte[] Encode(AckMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, MqttJsonContext.Default.AckMessage);

    public static PayloadResult<TelemetryMessage> DecodeTelemetry(ReadOnlySpan<byte> payload)
    {
        var decoded = Deserialize(payload, static p => JsonSerializer.Deserialize(p, MqttJsonContext.Default.TelemetryMessage));
        if (!decoded.IsValid)
        {
            return decoded;
        }

        var message = decoded.Value!;
        var problem = CheckVersion(message.V)
            ?? (!MqttTopics.IsValidSerial(message.Serial) ? "serial is missing or not usable in a topic" : null)
            ?? (message.Energy is null ? "energy is missing" : null)
            ?? (message.Energy!.Total < 0 || message.Energy.Sharp < 0 || message.Energy.Peak < 0 || message.Energy.Flat < 0 || message.Energy.Valley < 0 ? "energy is negative" : null)
            ?? (message.Seq < 0 ? "seq is negative" : null)
            ?? (message.Relay is not (null or "closed" or "open") ? $"relay '{message.Relay}' is not closed or open" : null)
            ?? (message.Phases is { Count: > 3 } ? "more than 3 phases" : null)
            ?? (NotFinite(message.P, message.Pf, message.F) || (message.Phases?.Any(p => p is null || NotFinite(p.V, p.I, p.P, p.Pf)) ?? false) ? "a live value is missing or not finite" : null);
        return problem is null ? decoded : PayloadResult<TelemetryMessage>.Invalid(problem);
    }

    public static PayloadResult<CommandMessage> DecodeCommand(ReadOnlySpan<byte> payload)
    {
        var decoded = Deserialize(payload, static p => JsonSerializer.Deserialize(p, MqttJsonContext.Default.CommandMessage));
        if (!decoded.IsValid)
        {
            return decoded;
        }

        var message = decoded.Value!;
        var problem = CheckVersion(message.V)
            ?? (string.IsNullOrWhiteSpace(message.Id) ? "id is missing" : null)
            ?? (message.Command == MeterCommandKind.TimeSync && message.Time is null ? "time_sync needs a time" : null);
        return problem is null ? decoded : PayloadResult<CommandMessage>.Invalid(problem);
    }

    public static PayloadResult<AckMessage> DecodeAcknowledgement(ReadOnlySpan<byte> payload)
    {
        var decoded = Deserialize(payload, static p => JsonSerializer.Deserialize(p, MqttJsonContext.Default.AckMessage));
        if (!decoded.IsValid)
        {
            return decoded;
        }

        var message = decoded.Value!;
        var problem = CheckVersion(message.V)
            ?? (string.IsNullOrWhiteSpace(message.Id) ? "id is missing" : null)
            ?? (message.Relay is not (null or "closed" or "open") ? $"relay '{message.Relay}' is not closed or open" : null);
        return problem is null ? decoded : PayloadResult<AckMessage>.Invalid(problem);
    }

    private static PayloadResult<T> Deserialize<T>(ReadOnlySpan<byte> payload, JsonReader<T> read)
        where T : class
    {
        if (payload.IsEmpty)
        {
            return PayloadResult<T>.Invalid("empty payload");
        }

        try
        {
            var value = read(payload);
            return value is null ? PayloadResult<T>.Invalid("payload is JSON null") : PayloadResult<T>.Ok(value);
        }
        catch (JsonException ex)
        {
            return PayloadResult<T>.Invalid($"not a valid {typeof(T).Name}: {ex.Message}");
        }
        catch (NotSupportedException ex)
        {
            return PayloadResult<T>.Invalid($"not a valid {typeof(T).Name}: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            return PayloadResult<T>.Invalid($"not valid UTF-8 JSON: {ex.Message}");
        }
    }

    private static string? CheckVersion(int version) =>
        version == TelemetryMessage.CurrentVersion ? null : $"schema version {version} is not supported (expected {TelemetryMessage.CurrentVersion})";

    private static bool NotFinite(params ReadOnlySpan<double?> values)
    {
        foreach (var value in values)
        {
            if (value is { } v && !double.IsFinite(v))
            {
                return true;
            }
        }

        return false;
    }

    private delegate T? JsonReader<T>(ReadOnlySpan<byte> payload);
}
