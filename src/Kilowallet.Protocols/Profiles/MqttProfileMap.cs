namespace Kilowallet.Protocols.Profiles;

/// <summary>The MQTT side of a profile: how to read a vendor's telemetry JSON without code.</summary>
public sealed record MqttProfileMap(IReadOnlyList<MqttField> Fields, MqttRelayStateField? RelayState, string? TimestampPath);
