namespace Kilowallet.Protocols.Mqtt;

/// <summary>A command to a meter on meters/{serial}/cmd; the meter answers on meters/{serial}/cmd/ack with the same id.</summary>
public sealed record CommandMessage
{
    public int V { get; init; } = TelemetryMessage.CurrentVersion;

    /// <summary>Unique per command (the server's command id); retries reuse it so the meter can deduplicate.</summary>
    public required string Id { get; init; }

    public required MeterCommandKind Command { get; init; }

    /// <summary>When the command was issued.</summary>
    public required DateTimeOffset Ts { get; init; }

    /// <summary>For time_sync: the time to set (site local time with offset).</summary>
    public DateTimeOffset? Time { get; init; }
}
