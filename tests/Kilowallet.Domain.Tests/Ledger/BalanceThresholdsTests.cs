using Kilowallet.Domain.Ledger;

namespace Kilowallet.Domain.Tests.Ledger;

public sealed class BalanceThresholdsTests
{
    [Fact]
    public void Typical_thresholds_with_emergency_credit_are_valid()
    {
        var thresholds = BalanceThresholds.FromMinorUnits(10000, 5000, -2000, 1000);

        Assert.Equal(Money.Yuan(-20m), thresholds.TripLevel);
        Assert.True(thresholds.IsExhausted(Money.Yuan(-20m)));
        Assert.False(thresholds.AllowsReconnect(Money.Yuan(10m)));
        Assert.True(thresholds.AllowsReconnect(Money.Yuan(10.01m)));
    }

    [Fact]
    public void Misordered_levels_are_refused_with_every_problem_listed()
    {
        var problems = BalanceThresholds.Problems(Money.Yuan(10m), Money.Yuan(50m), Money.Yuan(60m), Money.Yuan(0m));

        Assert.Equal(3, problems.Count);
        Assert.Throws<ArgumentException>(() =>
            BalanceThresholds.Create(Money.Yuan(10m), Money.Yuan(50m), Money.Yuan(60m), Money.Yuan(0m)));
    }

    [Fact]
    public void Sub_cent_levels_are_refused() =>
        Assert.Single(BalanceThresholds.Problems(Money.Yuan(100m), Money.Yuan(50m), Money.Yuan(0.001m), Money.Yuan(1m)));

    [Fact]
    public void Equal_levels_are_allowed() =>
        Assert.Empty(BalanceThresholds.Problems(Money.Zero, Money.Zero, Money.Zero, Money.Zero));
}
