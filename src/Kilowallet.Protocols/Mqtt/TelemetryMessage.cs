namespace Kilowallet.Protocols.Mqtt;

/// <summary>Telemetry schema v1 (docs/mqtt.md), published by a meter on meters/{serial}/telemetry.</summary>
public sealed record TelemetryMessage
{
    public const int CurrentVersion = 1;

    public int V { get; init; } = CurrentVersion;

    public required string Serial { get; init; }

    /// <summary>Meter time with its offset, e.g. 2026-11-27T10:00:00+08:00.</summary>
    public required DateTimeOffset Ts { get; init; }

    /// <summary>Increases by one per message; gaps show lost messages.</summary>
    public long Seq { get; init; }

    public required TelemetryEnergy Energy { get; init; }

    public IReadOnlyList<TelemetryPhase>? Phases { get; init; }

    /// <summary>Total active power, kW.</summary>
    public double? P { get; init; }

    public double? Pf { get; init; }

    /// <summary>Hz.</summary>
    public double? F { get; init; }

    /// <summary>"closed" or "open".</summary>
    public string? Relay { get; init; }

    public IReadOnlyList<string>? Alarms { get; init; }
}
