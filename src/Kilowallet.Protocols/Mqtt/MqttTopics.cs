using System.Diagnostics.CodeAnalysis;

namespace Kilowallet.Protocols.Mqtt;

/// <summary>Topics per meter: meters/{serial}/telemetry, meters/{serial}/cmd, meters/{serial}/cmd/ack.</summary>
public static class MqttTopics
{
    public const string TelemetryWildcard = "meters/+/telemetry";
    public const string AcknowledgementWildcard = "meters/+/cmd/ack";

    public static string Telemetry(string serial) => $"meters/{Check(serial)}/telemetry";

    public static string Command(string serial) => $"meters/{Check(serial)}/cmd";

    public static string Acknowledgement(string serial) => $"meters/{Check(serial)}/cmd/ack";

    public static bool TryParse(string? topic, [NotNullWhen(true)] out string? serial, out MqttTopicKind kind)
    {
        serial = null;
        kind = default;
        var parts = topic?.Split('/');
        if (parts is null || parts.Length is < 3 or > 4 || parts[0] != "meters" || !IsValidSerial(parts[1]))
        {
            return false;
        }

        switch (parts.Length, parts[2], parts.Length == 4 ? parts[3] : null)
        {
            case (3, "telemetry", null):
                kind = MqttTopicKind.Telemetry;
                break;
            case (3, "cmd", null):
                kind = MqttTopicKind.Command;
                break;
            case (4, "cmd", "ack"):
                kind = MqttTopicKind.Acknowledgement;
                break;
            default:
                return false;
        }

        serial = parts[1];
        return true;
    }

    /// <summary>A serial is 1–64 characters without MQTT's separators and wildcards.</summary>
    public static bool IsValidSerial(string? serial) =>
        !string.IsNullOrEmpty(serial) && serial.Length <= 64 && serial.AsSpan().IndexOfAny("/+#\0") < 0 && !serial.Any(char.IsWhiteSpace);

    private static string Check(string serial) =>
        IsValidSerial(serial) ? serial : throw new ArgumentException($"'{serial}' is not a valid meter serial for a topic.", nameof(serial));
}
