using Kilowallet.Domain.Notifications;

namespace Kilowallet.Domain.Tests.Notifications;

public sealed class ExhaustionForecastTests
{
    [Fact]
    public void Days_left_are_the_headroom_over_the_average_daily_cost_rounded_down()
    {
        Assert.Equal(2, ExhaustionForecast.DaysLeft(Money.Yuan(29.99m), Money.Zero, Money.Yuan(70m)));
        Assert.Equal(3, ExhaustionForecast.DaysLeft(Money.Yuan(30m), Money.Zero, Money.Yuan(70m)));
    }

    [Fact]
    public void Emergency_credit_below_zero_counts_as_headroom() =>
        Assert.Equal(5, ExhaustionForecast.DaysLeft(Money.Yuan(30m), Money.Yuan(-20m), Money.Yuan(70m)));

    [Fact]
    public void With_no_use_there_is_no_forecast_and_an_exhausted_account_has_zero_days()
    {
        Assert.Null(ExhaustionForecast.DaysLeft(Money.Yuan(30m), Money.Zero, Money.Zero));
        Assert.Equal(0, ExhaustionForecast.DaysLeft(Money.Yuan(-1m), Money.Zero, Money.Yuan(70m)));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void The_forecast_is_sent_when_one_to_n_days_are_left(int? days, bool expected) =>
        Assert.Equal(expected, ExhaustionForecast.ShouldWarn(days, 3));
}
