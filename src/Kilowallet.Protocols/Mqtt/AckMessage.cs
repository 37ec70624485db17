namespace Kilowallet.Protocols.Mqtt;

/// <summary>A meter's acknowledgement of a command, with its relay state after executing it.</summary>
public sealed record AckMessage
{
    public int V { get; init; } = TelemetryMessage.CurrentVersion;

    public required string Id { get; init; }

    public required AckStatus Status { get; init; }

    /// <summary>"closed" or "open".</summary>
    public string? Relay { get; init; }

    /// <summary>Why the command failed, when <see cref="Status"/> is error.</summary>
    public string? Error { get; init; }
}
