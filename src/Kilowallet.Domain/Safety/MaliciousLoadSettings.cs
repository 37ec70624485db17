namespace Kilowallet.Domain.Safety;

/// <summary>Detection of resistive high-power appliances (heaters, kettles, cookers).</summary>
public sealed record MaliciousLoadSettings
{
    /// <summary>The smallest rise in active power between consecutive samples that counts as an appliance switching on.</summary>
    public double StepThresholdKw { get; init; } = 1.5;

    /// <summary>A step whose power factor is at least this is resistive.</summary>
    public double ResistivePowerFactor { get; init; } = 0.95;

    /// <summary>Samples further apart than this are not compared: the step could be several loads.</summary>
    public TimeSpan MaxSampleGap { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The shop's policy forbids such appliances: a detection also trips (safety hold).</summary>
    public bool TripWhenDetected { get; init; }

    /// <summary>When set, a trip is released automatically after this long; otherwise an operator resets it.</summary>
    public TimeSpan? ReleaseAfter { get; init; }
}
