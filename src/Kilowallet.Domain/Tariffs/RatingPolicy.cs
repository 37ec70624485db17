namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// How a meter's intervals are judged. An interval longer than <see cref="ExpectedReadingInterval"/> ×
/// <see cref="EstimatedAfterMultiple"/> is a gap: its slices are marked estimated (spread by the same
/// constant-power rule). An interval whose energy exceeds <see cref="MaxPowerKw"/> × hours ×
/// <see cref="PlausibilityFactor"/> is an implausible jump and is quarantined, not rated.
/// Properties are fixed at construction so a copy can never disagree with its derived limits.
/// </summary>
public sealed record RatingPolicy
{
    public RatingPolicy(TimeSpan expectedReadingInterval, int estimatedAfterMultiple = 15, decimal? maxPowerKw = null, decimal plausibilityFactor = 1.5m)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expectedReadingInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(estimatedAfterMultiple, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(plausibilityFactor, 1m);
        if (maxPowerKw is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(max, 0m, nameof(maxPowerKw));
            MaxPlausibleWatts = decimal.ToInt64(decimal.Ceiling(max * 1000m * plausibilityFactor));
        }

        ExpectedReadingInterval = expectedReadingInterval;
        EstimatedAfterMultiple = estimatedAfterMultiple;
        MaxPowerKw = maxPowerKw;
        PlausibilityFactor = plausibilityFactor;
        EstimatedAfterTicks = checked(expectedReadingInterval.Ticks * estimatedAfterMultiple);
    }

    /// <summary>Readings every minute; gaps over 15 minutes estimated; no power ceiling.</summary>
    public static RatingPolicy EveryMinute { get; } = new(TimeSpan.FromMinutes(1));

    public TimeSpan ExpectedReadingInterval { get; }

    public int EstimatedAfterMultiple { get; }

    /// <summary>The installation's rated maximum power (CT and PT ratios included); null disables the check.</summary>
    public decimal? MaxPowerKw { get; }

    public decimal PlausibilityFactor { get; }

    /// <summary>Intervals longer than this are estimated.</summary>
    public TimeSpan EstimatedAfter => TimeSpan.FromTicks(EstimatedAfterTicks);

    internal long EstimatedAfterTicks { get; }

    internal long? MaxPlausibleWatts { get; }
}
