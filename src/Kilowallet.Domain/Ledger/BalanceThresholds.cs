namespace Kilowallet.Domain.Ledger;

/// <summary>
/// An account's balance levels: two warnings, the trip level (0, or negative for emergency credit)
/// and the reconnect level. Valid when warning 1 ≥ warning 2 ≥ trip level, reconnect level ≥ trip
/// level, and every level is a whole number of minor units. <c>default</c> (all zero) is valid.
/// </summary>
public readonly record struct BalanceThresholds
{
    private BalanceThresholds(Money warning1, Money warning2, Money tripLevel, Money reconnectLevel)
    {
        Warning1 = warning1;
        Warning2 = warning2;
        TripLevel = tripLevel;
        ReconnectLevel = reconnectLevel;
    }

    public Money Warning1 { get; }

    public Money Warning2 { get; }

    /// <summary>At or below this balance the supply is cut.</summary>
    public Money TripLevel { get; }

    /// <summary>A cut supply is restored only above this balance (hysteresis against chatter).</summary>
    public Money ReconnectLevel { get; }

    /// <summary>The thresholds, or an <see cref="ArgumentException"/> listing every problem.</summary>
    public static BalanceThresholds Create(Money warning1, Money warning2, Money tripLevel, Money reconnectLevel)
    {
        var problems = Problems(warning1, warning2, tripLevel, reconnectLevel);
        return problems.Count == 0
            ? new BalanceThresholds(warning1, warning2, tripLevel, reconnectLevel)
            : throw new ArgumentException("Invalid thresholds: " + string.Join(" ", problems));
    }

    /// <summary>From the minor units stored on an account (Warning1Minor, Warning2Minor, TripLevelMinor, ReconnectLevelMinor).</summary>
    public static BalanceThresholds FromMinorUnits(long warning1, long warning2, long tripLevel, long reconnectLevel) =>
        Create(
            Money.FromMinorUnits(warning1),
            Money.FromMinorUnits(warning2),
            Money.FromMinorUnits(tripLevel),
            Money.FromMinorUnits(reconnectLevel));

    /// <summary>What is wrong with a set of levels, one sentence each; empty when they are valid. For forms and imports.</summary>
    public static IReadOnlyList<string> Problems(Money warning1, Money warning2, Money tripLevel, Money reconnectLevel)
    {
        var problems = new List<string>();
        foreach (var (name, level) in new[]
                 {
                     ("Warning level 1", warning1), ("Warning level 2", warning2),
                     ("The trip level", tripLevel), ("The reconnect level", reconnectLevel),
                 })
        {
            if (!level.IsWholeMinorUnits)
            {
                problems.Add($"{name} ({level}) is not a whole number of minor units.");
            }
        }

        if (warning1 < warning2)
        {
            problems.Add($"Warning level 1 ({warning1}) is below warning level 2 ({warning2}).");
        }

        if (warning2 < tripLevel)
        {
            problems.Add($"Warning level 2 ({warning2}) is below the trip level ({tripLevel}).");
        }

        if (reconnectLevel < tripLevel)
        {
            problems.Add($"The reconnect level ({reconnectLevel}) is below the trip level ({tripLevel}).");
        }

        return problems;
    }

    /// <summary>Whether the balance is at or below the trip level.</summary>
    public bool IsExhausted(Money available) => available <= TripLevel;

    /// <summary>Whether the balance is high enough to reconnect a cut supply.</summary>
    public bool AllowsReconnect(Money available) => available > ReconnectLevel;
}
