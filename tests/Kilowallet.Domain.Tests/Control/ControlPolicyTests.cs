using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kilowallet.Domain.Control;
using Kilowallet.Domain.Ledger;
using static Kilowallet.Domain.Tests.Control.Zones;

namespace Kilowallet.Domain.Tests.Control;

public sealed class ControlPolicyTests
{
    // Trip at 0, reconnect above 10.
    private static readonly BalanceThresholds Thresholds = BalanceThresholds.FromMinorUnits(10000, 5000, 0, 1000);
    private static readonly ControlPolicyOptions Options = new() { MinimumCommandInterval = TimeSpan.FromMinutes(5) };
    private static readonly DateTimeOffset WednesdayNoon = ShanghaiTime(2025, 1, 1, 12);

    private static readonly FriendlyHours Nights = new(
        Shanghai, [new DailyWindow(new TimeOnly(20, 0), new TimeOnly(8, 0))], [DayOfWeek.Saturday, DayOfWeek.Sunday], []);

    private static ControlSituation Situation(decimal balance, RelayState desired = RelayState.Closed) => new()
    {
        Now = WednesdayNoon,
        AvailableBalance = Money.Yuan(balance),
        Thresholds = Thresholds,
        Desired = desired,
        OpenedBy = desired == RelayState.Open ? RelayCause.BalanceExhausted : null,
    };

    private static ControlDecision Decide(ControlSituation situation) => ControlPolicy.Decide(situation, Options);

    [Fact]
    public void An_exhausted_balance_trips_now()
    {
        var decision = Decide(Situation(0m));

        Assert.Equal(ControlAction.TripNow, decision.Action);
        Assert.Equal(RelayCause.BalanceExhausted, decision.Cause);
        Assert.Equal(RelayState.Open, decision.CommandTarget);
    }

    [Fact]
    public void A_balance_above_the_trip_level_does_nothing() =>
        Assert.Equal(ControlDecision.Nothing(), Decide(Situation(0.01m)));

    [Fact]
    public void Emergency_credit_is_a_negative_trip_level()
    {
        var overdraft = Situation(-15m) with { Thresholds = BalanceThresholds.FromMinorUnits(10000, 5000, -2000, 0) };

        Assert.Equal(ControlAction.None, Decide(overdraft).Action);
        Assert.Equal(ControlAction.TripNow, Decide(overdraft with { AvailableBalance = Money.Yuan(-20m) }).Action);
    }

    [Fact]
    public void Keep_power_prevents_a_trip()
    {
        var kept = Situation(-5m) with { KeepPower = [new("Hospital pharmacy fridge", "op-1", WednesdayNoon.AddDays(-1), null)] };

        var decision = Decide(kept);

        Assert.Equal(ControlAction.None, decision.Action);
        Assert.Equal(ControlHold.KeepPower, decision.Hold);
    }

    [Fact]
    public void An_expired_keep_power_exemption_no_longer_protects()
    {
        var expired = Situation(-5m) with { KeepPower = [new("Festival", "op-1", WednesdayNoon.AddDays(-3), WednesdayNoon)] };

        Assert.Equal(ControlAction.TripNow, Decide(expired).Action);
    }

    [Fact]
    public void Keep_power_granted_while_cut_reconnects()
    {
        var cut = Situation(-5m, RelayState.Open) with { KeepPower = [new("Cold store", "op-1", WednesdayNoon, null)] };

        var decision = Decide(cut);

        Assert.Equal(ControlAction.ReconnectNow, decision.Action);
        Assert.Equal(RelayCause.KeepPower, decision.Cause);
    }

    [Theory]
    [InlineData(SafetyHold.None, OperatorLock.None)]
    [InlineData(SafetyHold.Overload, OperatorLock.None)]
    [InlineData(SafetyHold.OverloadLockout, OperatorLock.HeldOpen)]
    [InlineData(SafetyHold.MaliciousLoad, OperatorLock.None)]
    [InlineData(SafetyHold.None, OperatorLock.HeldOpen)]
    public void A_meter_feeding_its_own_gateway_is_never_tripped(SafetyHold safety, OperatorLock operatorLock)
    {
        var gatewayFeeder = Situation(-50m) with { FeedsOwnGateway = true, SafetyHold = safety, OperatorLock = operatorLock };

        var decision = Decide(gatewayFeeder);

        Assert.Equal(ControlAction.None, decision.Action);
        Assert.Equal(ControlHold.FeedsOwnGateway, decision.Hold);
    }

    [Fact]
    public void A_meter_feeding_its_own_gateway_found_open_is_closed()
    {
        var decision = Decide(Situation(-50m, RelayState.Open) with { FeedsOwnGateway = true });

        Assert.Equal(ControlAction.ReconnectNow, decision.Action);
        Assert.Equal(RelayCause.ProtectedSupply, decision.Cause);
    }

    [Fact]
    public void Friendly_hours_defer_an_evening_trip_to_eight_the_next_morning()
    {
        var evening = Situation(0m) with { Now = ShanghaiTime(2025, 1, 1, 21, 30), FriendlyHours = Nights };

        var decision = Decide(evening);

        Assert.Equal(ControlAction.TripDeferred, decision.Action);
        Assert.Equal(DeferralReason.FriendlyHours, decision.Deferral);
        Assert.Equal(ShanghaiTime(2025, 1, 2, 8), decision.NotBefore);
        Assert.Null(decision.CommandTarget);
    }

    [Fact]
    public void Friendly_hours_defer_a_friday_night_trip_to_monday_morning()
    {
        var friday = Situation(0m) with { Now = ShanghaiTime(2025, 1, 3, 22), FriendlyHours = Nights };

        Assert.Equal(ShanghaiTime(2025, 1, 6, 8), Decide(friday).NotBefore);
    }

    [Fact]
    public void At_the_deferred_instant_the_trip_happens()
    {
        var morning = Situation(0m) with { Now = ShanghaiTime(2025, 1, 2, 8), FriendlyHours = Nights };

        Assert.Equal(ControlAction.TripNow, Decide(morning).Action);
    }

    [Fact]
    public void A_trip_soon_after_the_previous_command_waits_for_the_minimum_interval()
    {
        var recent = Situation(0m) with { LastCommandAt = WednesdayNoon.AddMinutes(-2) };

        var decision = Decide(recent);

        Assert.Equal(ControlAction.TripDeferred, decision.Action);
        Assert.Equal(DeferralReason.MinimumInterval, decision.Deferral);
        Assert.Equal(WednesdayNoon.AddMinutes(3), decision.NotBefore);
    }

    [Fact]
    public void A_minimum_interval_ending_in_friendly_hours_defers_to_their_end()
    {
        var justBeforeEight = Situation(0m) with
        {
            Now = ShanghaiTime(2025, 1, 1, 19, 58),
            LastCommandAt = ShanghaiTime(2025, 1, 1, 19, 57),
            FriendlyHours = Nights,
        };

        var decision = Decide(justBeforeEight);

        Assert.Equal(DeferralReason.FriendlyHours, decision.Deferral);
        Assert.Equal(ShanghaiTime(2025, 1, 2, 8), decision.NotBefore);
    }

    [Fact]
    public void A_top_up_above_the_reconnect_level_reconnects_at_once()
    {
        var decision = Decide(Situation(10.01m, RelayState.Open) with { LastCommandAt = WednesdayNoon.AddSeconds(-10) });

        Assert.Equal(ControlAction.ReconnectNow, decision.Action);
        Assert.Equal(RelayCause.BalanceRestored, decision.Cause);
        Assert.Equal(CloseMode.Direct, decision.CloseMode);
        Assert.False(decision.TenantMustPressButton);
    }

    [Fact]
    public void A_close_allowed_meter_reconnects_and_asks_the_tenant_to_press_the_button()
    {
        var decision = Decide(Situation(100m, RelayState.Open) with { CloseMode = CloseMode.CloseAllowed });

        Assert.Equal(RelayState.Closed, decision.CommandTarget);
        Assert.True(decision.TenantMustPressButton);
    }

    [Fact]
    public void A_top_up_that_stays_at_or_below_the_reconnect_level_keeps_the_supply_cut()
    {
        var decision = Decide(Situation(10m, RelayState.Open));

        Assert.Equal(ControlAction.None, decision.Action);
        Assert.Equal(ControlHold.AwaitingReconnectLevel, decision.Hold);
    }

    [Fact]
    public void Friendly_hours_never_delay_a_reconnect() =>
        Assert.Equal(
            ControlAction.ReconnectNow,
            Decide(Situation(50m, RelayState.Open) with { Now = ShanghaiTime(2025, 1, 4, 23), FriendlyHours = Nights }).Action);

    [Fact]
    public void A_safety_hold_trips_at_once_whatever_the_balance_friendly_hours_or_keep_power()
    {
        var overload = Situation(500m) with
        {
            Now = ShanghaiTime(2025, 1, 1, 23),
            FriendlyHours = Nights,
            SafetyHold = SafetyHold.Overload,
            KeepPower = [new("VIP", "op-1", WednesdayNoon, null)],
            LastCommandAt = ShanghaiTime(2025, 1, 1, 22, 59),
        };

        var decision = Decide(overload);

        Assert.Equal(ControlAction.TripNow, decision.Action);
        Assert.Equal(RelayCause.Overload, decision.Cause);
    }

    [Fact]
    public void A_top_up_during_a_safety_hold_does_not_reconnect()
    {
        var decision = Decide(Situation(500m, RelayState.Open) with { SafetyHold = SafetyHold.OverloadLockout, OpenedBy = RelayCause.Overload });

        Assert.Equal(ControlAction.None, decision.Action);
        Assert.Equal(ControlHold.SafetyHold, decision.Hold);
    }

    [Fact]
    public void The_end_of_a_safety_hold_reconnects_unless_the_balance_is_exhausted()
    {
        var released = Situation(5m, RelayState.Open) with { OpenedBy = RelayCause.Overload };

        Assert.Equal(RelayCause.SafetyReleased, Decide(released).Cause);
        Assert.Equal(ControlAction.None, Decide(released with { AvailableBalance = Money.Yuan(-1m) }).Action);
    }

    [Fact]
    public void An_operator_lock_overrides_the_balance_both_ways()
    {
        var heldOpen = Decide(Situation(500m) with { OperatorLock = OperatorLock.HeldOpen });
        var heldClosed = Decide(Situation(-5m) with { OperatorLock = OperatorLock.HeldClosed });

        Assert.Equal((ControlAction.TripNow, RelayCause.Operator), (heldOpen.Action, heldOpen.Cause));
        Assert.Equal((ControlAction.None, ControlHold.OperatorLock), (heldClosed.Action, heldClosed.Hold));
    }

    [Fact]
    public void A_desired_state_not_yet_reported_is_left_to_the_command_machine() =>
        Assert.Equal(ControlHold.AwaitingRelay, Decide(Situation(50m) with { Reported = RelayState.Open }).Hold);

    [Fact]
    public void A_balance_flapping_around_the_trip_level_trips_once_and_never_reconnects_below_the_reconnect_level()
    {
        var commands = Simulate(Thresholds, minute => minute % 2 == 0 ? 0.02m : -0.01m, minutes: 120);

        Assert.Equal([RelayState.Open], commands.Select(c => c.Target));
    }

    [Fact]
    public void Without_a_hysteresis_band_the_minimum_interval_limits_chatter()
    {
        var noBand = BalanceThresholds.FromMinorUnits(10000, 5000, 0, 0);

        var commands = Simulate(noBand, minute => minute % 2 == 0 ? 0.02m : -0.01m, minutes: 60);

        var trips = commands.Where(c => c.Target == RelayState.Open).Select(c => c.At).ToList();
        Assert.True(trips.Count <= 13, $"{trips.Count} trips in an hour");
        Assert.All(trips.Zip(trips.Skip(1)), pair => Assert.True(pair.Second - pair.First >= Options.MinimumCommandInterval));
    }

    [Property(MaxTest = 200)]
    public Property Whatever_the_balance_does_trips_are_at_least_the_minimum_interval_apart_and_reconnects_need_the_reconnect_level() =>
        Prop.ForAll(
            Gen.ArrayOf(Gen.Choose(-300, 1500)).Where(a => a.Length > 0).ToArbitrary(),
            cents =>
            {
                var commands = Simulate(Thresholds, minute => cents[minute % cents.Length] / 100m, minutes: cents.Length * 2);
                var trips = commands.Where(c => c.Target == RelayState.Open).Select(c => c.At).ToList();

                Assert.All(trips.Zip(trips.Skip(1)), pair => Assert.True(pair.Second - pair.First >= Options.MinimumCommandInterval));
                Assert.All(commands.Where(c => c.Target == RelayState.Closed), c => Assert.True(c.Balance > 10m));
            });

    /// <summary>Runs the policy once a minute over a balance curve, as the server would, and lists the commands it issued.</summary>
    private static List<(DateTimeOffset At, RelayState Target, decimal Balance)> Simulate(
        BalanceThresholds thresholds, Func<int, decimal> balanceAtMinute, int minutes)
    {
        var commands = new List<(DateTimeOffset, RelayState, decimal)>();
        var desired = RelayState.Closed;
        DateTimeOffset? lastCommand = null;
        for (var minute = 0; minute < minutes; minute++)
        {
            var now = WednesdayNoon.AddMinutes(minute);
            var balance = balanceAtMinute(minute);
            var decision = Decide(new ControlSituation
            {
                Now = now,
                AvailableBalance = Money.Yuan(balance),
                Thresholds = thresholds,
                Desired = desired,
                OpenedBy = desired == RelayState.Open ? RelayCause.BalanceExhausted : null,
                LastCommandAt = lastCommand,
            });
            if (decision.CommandTarget is { } target)
            {
                commands.Add((now, target, balance));
                desired = target;
                lastCommand = now;
            }
        }

        return commands;
    }
}
