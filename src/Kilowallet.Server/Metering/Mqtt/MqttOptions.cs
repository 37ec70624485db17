namespace Kilowallet.Server.Metering.Mqtt;

/// <summary>Configuration section "Mqtt": the broker 4G meters publish to.</summary>
public sealed record MqttOptions
{
    public const string Section = "Mqtt";

    /// <summary>"embedded" (default: a broker inside the server), "external" (Mosquitto, EMQX …) or "off".</summary>
    public string Mode { get; init; } = "embedded";

    /// <summary>Port of the embedded broker; 0 picks a free one (logged at start).</summary>
    public int EmbeddedPort { get; init; } = 1883;

    /// <summary>Address the embedded broker listens on.</summary>
    public string EmbeddedAddress { get; init; } = "127.0.0.1";

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 1883;

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>The server's client id: fixed, so its persistent session (and QoS 1 messages) survive a restart.</summary>
    public string ClientId { get; init; } = "kilowallet-server";

    /// <summary>How long to wait for a meter's acknowledgement of a command.</summary>
    public int CommandTimeoutSeconds { get; init; } = 15;

    public bool IsEmbedded => string.Equals(Mode, "embedded", StringComparison.OrdinalIgnoreCase);

    public bool IsOff => string.Equals(Mode, "off", StringComparison.OrdinalIgnoreCase);
}
