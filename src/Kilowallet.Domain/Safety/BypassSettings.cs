namespace Kilowallet.Domain.Safety;

/// <summary>Tolerances of the relay integrity check: measurement noise on an open relay stays below them.</summary>
public sealed record BypassSettings
{
    public double CurrentToleranceA { get; init; } = 0.2;

    public double PowerToleranceKw { get; init; } = 0.05;

    /// <summary>How long current must flow with the relay open before the alarm (covers a relay still moving).</summary>
    public TimeSpan RaiseAfter { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ClearAfter { get; init; } = TimeSpan.FromSeconds(30);
}
