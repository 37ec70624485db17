using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kilowallet.Domain.Ledger;

namespace Kilowallet.Domain.Tests.Ledger;

public sealed class BalanceWatchTests
{
    // Warnings at 100 and 50, trip at 0, reconnect above 10.
    private static readonly BalanceThresholds Thresholds = BalanceThresholds.FromMinorUnits(10000, 5000, 0, 1000);

    private static List<BalanceEvent> Walk(params decimal[] balances)
    {
        var state = BalanceAlertState.Settled(Money.Yuan(balances[0]), Thresholds);
        var events = new List<BalanceEvent>();
        foreach (var balance in balances.Skip(1))
        {
            var observation = BalanceWatch.Observe(state, Money.Yuan(balance), Thresholds);
            events.AddRange(observation.Events);
            state = observation.State;
        }

        return events;
    }

    [Fact]
    public void A_falling_balance_announces_each_level_once()
    {
        var events = Walk(150, 120, 100, 99, 80, 50, 49, 20, 0, -1, -5);

        Assert.Equal([BalanceEvent.CrossedWarning1, BalanceEvent.CrossedWarning2, BalanceEvent.Exhausted], events);
    }

    [Fact]
    public void A_warning_re_arms_after_the_balance_rises_back_above_it()
    {
        var events = Walk(150, 90, 120, 95);

        Assert.Equal([BalanceEvent.CrossedWarning1, BalanceEvent.CrossedWarning1], events);
    }

    [Fact]
    public void A_top_up_above_the_reconnect_level_ends_exhaustion_once()
    {
        var events = Walk(1, 0, 200, 210);

        Assert.Equal([BalanceEvent.Exhausted, BalanceEvent.BackAboveReconnectLevel], events);
    }

    [Fact]
    public void A_balance_flapping_around_the_trip_level_is_exhausted_once()
    {
        var events = Walk(1, 0, 0.01m, 0, 0.05m, -0.02m, 5, 0, 10, -1);

        Assert.Equal([BalanceEvent.Exhausted], events);
    }

    [Fact]
    public void One_step_across_several_levels_reports_only_the_lowest()
    {
        Assert.Equal([BalanceEvent.Exhausted], Walk(500, -3));
        Assert.Equal([BalanceEvent.CrossedWarning2], Walk(500, 30));
    }

    [Fact]
    public void After_exhaustion_ends_the_warnings_below_the_balance_stay_announced()
    {
        var events = Walk(1, 0, 30, 25, 0);

        Assert.Equal([BalanceEvent.Exhausted, BalanceEvent.BackAboveReconnectLevel, BalanceEvent.Exhausted], events);
    }

    [Fact]
    public void Between_compares_two_balances_without_stored_state()
    {
        Assert.Equal([BalanceEvent.CrossedWarning1], BalanceWatch.Between(Money.Yuan(100.01m), Money.Yuan(100m), Thresholds));
        Assert.Empty(BalanceWatch.Between(Money.Yuan(100m), Money.Yuan(99m), Thresholds));
    }

    [Property(MaxTest = 300)]
    public Property Each_event_fires_once_per_crossing_in_any_walk() =>
        Prop.ForAll(
            Gen.ArrayOf(Gen.Choose(-3000, 15000)).Select(xs => xs.Select(x => x / 100m).ToArray()).ToArbitrary(),
            balances =>
            {
                var all = new[] { 150m }.Concat(balances).ToArray();
                var events = Walk(all);

                // Exhausted and BackAboveReconnectLevel strictly alternate, starting with Exhausted.
                var cycle = events.Where(e => e is BalanceEvent.Exhausted or BalanceEvent.BackAboveReconnectLevel).ToList();
                for (var i = 0; i < cycle.Count; i++)
                {
                    Assert.Equal(i % 2 == 0 ? BalanceEvent.Exhausted : BalanceEvent.BackAboveReconnectLevel, cycle[i]);
                }

                // Never more exhaustions than times the balance actually reached the trip level from above reconnect.
                var exhaustions = 0;
                var armed = true;
                foreach (var b in all)
                {
                    if (armed && b <= 0)
                    {
                        exhaustions++;
                        armed = false;
                    }
                    else if (!armed && b > 10)
                    {
                        armed = true;
                    }
                }

                Assert.Equal(exhaustions, cycle.Count(e => e == BalanceEvent.Exhausted));
            });
}
