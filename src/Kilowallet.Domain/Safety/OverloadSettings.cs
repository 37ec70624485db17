namespace Kilowallet.Domain.Safety;

/// <summary>A shop's overload protection. Either limit may be absent; with both absent nothing trips.</summary>
public sealed record OverloadSettings
{
    /// <summary>The shop's contracted power limit (total active power).</summary>
    public double? PowerLimitKw { get; init; }

    /// <summary>Limit on the current of any one phase.</summary>
    public double? CurrentLimitA { get; init; }

    /// <summary>How long a limit must be exceeded without interruption before the trip.</summary>
    public TimeSpan PickupDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after a trip the supply is restored automatically.</summary>
    public TimeSpan RecloseDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Automatic recloses allowed within <see cref="RecloseWindow"/>; the next trip locks out.</summary>
    public int MaxRecloses { get; init; } = 3;

    public TimeSpan RecloseWindow { get; init; } = TimeSpan.FromHours(1);
}
