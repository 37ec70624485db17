using System.Text.Json.Serialization;

namespace Kilowallet.Protocols.Mqtt;

/// <summary>Source-generated System.Text.Json metadata for the MQTT payloads (snake_case, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectRequiredConstructorParameters = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(TelemetryMessage))]
[JsonSerializable(typeof(CommandMessage))]
[JsonSerializable(typeof(AckMessage))]
internal sealed partial class MqttJsonContext : JsonSerializerContext;
