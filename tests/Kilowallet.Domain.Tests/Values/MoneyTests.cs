using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Kilowallet.Domain.Tests.Values;

public sealed class MoneyTests
{
    [Fact]
    public void Minor_units_convert_exactly_both_ways()
    {
        Assert.Equal(12.34m, Money.FromMinorUnits(1234).Amount);
        Assert.Equal(-5L, Money.Yuan(-0.05m).ToMinorUnits());
        Assert.Equal(0L, Money.Zero.ToMinorUnits());
    }

    [Fact]
    public void A_sub_cent_amount_does_not_convert_silently()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Money.Yuan(0.005m).ToMinorUnits());
        Assert.Contains("MoneyRounding", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postable_amount_truncates_and_carries_the_remainder()
    {
        var (postable, carry) = MoneyRounding.ToPostable(Money.Yuan(1.23456m), Money.Yuan(0.004m));
        Assert.Equal(Money.Yuan(1.23m), postable);
        Assert.Equal(Money.Yuan(0.00856m), carry);
    }

    [Property]
    public Property Posting_with_carry_never_drifts_a_cent_from_the_exact_total()
    {
        var amounts = Gen.Choose(0, 1_000_000_000).Select(n => n / 100_000_000m).ListOf();
        return Prop.ForAll(amounts.ToArbitrary(), list =>
        {
            var carry = Money.Zero;
            var posted = Money.Zero;
            var exact = Money.Zero;
            foreach (var amount in list)
            {
                exact += Money.Yuan(amount);
                var (postable, rest) = MoneyRounding.ToPostable(Money.Yuan(amount), carry);
                Assert.True(postable.IsWholeMinorUnits);
                posted += postable;
                carry = rest;
            }

            return exact - posted >= Money.Zero && exact - posted < Money.Yuan(0.01m) && posted + carry == exact;
        });
    }

    [Fact]
    public void Energy_converts_to_whole_watt_hours_only()
    {
        Assert.Equal(12_345L, new EnergyKwh(12.345m).ToWattHours());
        Assert.Equal(new EnergyKwh(0.001m), EnergyKwh.FromWattHours(1));
        Assert.Throws<InvalidOperationException>(() => new EnergyKwh(0.0005m).ToWattHours());
    }
}
