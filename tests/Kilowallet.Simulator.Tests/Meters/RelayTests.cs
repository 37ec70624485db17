using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;
using Kilowallet.Simulator.Tests.Infrastructure;

namespace Kilowallet.Simulator.Tests.Meters;

public sealed class RelayTests
{
    private static TestSim OpenShop(params MeterDefinition[] meters)
    {
        var sim = TestSim.Of(meters);
        sim.AdvanceTo(TestSim.SpringTuesday.AddHours(12)); // noon: the shop is open and drawing power
        return sim;
    }

    [Fact]
    public void An_open_relay_drops_current_and_power_to_zero_and_freezes_energy()
    {
        var sim = OpenShop(TestSim.Meter());
        var meter = sim["M1"];
        Assert.True(meter.Read().ActivePowerKw > 1);

        Assert.Equal(RelayOutcome.Done, meter.ApplyRelayCommand(RelayCommand.Open));
        var open = meter.Read();
        Assert.Equal(RelayState.Open, open.Relay);
        Assert.Equal(0, open.ActivePowerKw);
        Assert.All(open.Phases, p => Assert.Equal(0, p.CurrentA));
        Assert.All(open.Phases, p => Assert.InRange(p.VoltageV, 220, 240)); // the supply side is still live

        sim.Advance(TimeSpan.FromHours(2));
        Assert.Equal(open.Energy, meter.Read().Energy);

        Assert.Equal(RelayOutcome.Done, meter.ApplyRelayCommand(RelayCommand.Close));
        sim.Advance(TimeSpan.FromMinutes(10));
        var closed = meter.Read();
        Assert.Equal(RelayState.Closed, closed.Relay);
        Assert.True(closed.Energy.TotalMilliwattHours > open.Energy.TotalMilliwattHours);
    }

    [Fact]
    public void Close_allowed_waits_for_the_tenant_to_press_the_button()
    {
        var sim = OpenShop(TestSim.Meter(kind: "dlt645", format: LoadFormat.Restaurant));
        var meter = sim["M1"];
        meter.ApplyRelayCommand(RelayCommand.Open);
        var frozen = meter.Read().Energy;

        Assert.Equal(RelayOutcome.AwaitingButton, meter.ApplyRelayCommand(RelayCommand.Close));
        sim.Advance(TimeSpan.FromHours(1));
        var waiting = meter.Read();
        Assert.Equal(RelayState.Open, waiting.Relay);
        Assert.True(waiting.Alarms.HasFlag(MeterAlarms.AwaitingButton));
        Assert.Equal(frozen, waiting.Energy);

        Assert.True(meter.PressButton());
        sim.Advance(TimeSpan.FromMinutes(5));
        var closed = meter.Read();
        Assert.Equal(RelayState.Closed, closed.Relay);
        Assert.False(closed.Alarms.HasFlag(MeterAlarms.AwaitingButton));
        Assert.True(closed.Energy.TotalMilliwattHours > frozen.TotalMilliwattHours);
        Assert.False(meter.PressButton()); // nothing armed any more
    }

    [Fact]
    public void A_close_allowed_meter_can_close_by_itself_after_the_auto_press_delay()
    {
        var sim = OpenShop(TestSim.Meter(kind: "dlt645") with { AutoPressDelay = TimeSpan.FromMinutes(3) });
        var meter = sim["M1"];
        meter.ApplyRelayCommand(RelayCommand.Open);
        meter.ApplyRelayCommand(RelayCommand.CloseAllowed);
        sim.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(RelayState.Open, meter.Read().Relay);
        var beforePress = meter.Read().Energy;
        sim.Advance(TimeSpan.FromMinutes(2));
        var after = meter.Read();
        Assert.Equal(RelayState.Closed, after.Relay);

        // Energy flowed only for the minute after the press.
        var (minute, _) = Reference.Integrate(meter, sim.Now.AddMinutes(-1), sim.Now, TimeSpan.FromSeconds(1));
        Assert.InRange((after.Energy - beforePress).TotalMilliwattHours, minute - 2, minute + 1);
    }

    [Fact]
    public void Direct_close_closes_even_a_close_allowed_meter()
    {
        var sim = OpenShop(TestSim.Meter(kind: "dlt645"));
        var meter = sim["M1"];
        meter.ApplyRelayCommand(RelayCommand.Open);
        Assert.Equal(RelayOutcome.Done, meter.ApplyRelayCommand(RelayCommand.CloseDirect));
        Assert.Equal(RelayState.Closed, meter.Read().Relay);
    }

    [Fact]
    public void A_meter_without_a_relay_says_so()
    {
        var sim = OpenShop(TestSim.Meter(kind: "sdm120"));
        Assert.Equal(RelayOutcome.NoRelay, sim["M1"].ApplyRelayCommand(RelayCommand.Open));
        Assert.Equal(RelayState.Closed, sim["M1"].Read().Relay);
    }

    [Fact]
    public void A_bypass_makes_energy_grow_while_the_relay_reports_open()
    {
        var sim = OpenShop(TestSim.Meter());
        var meter = sim["M1"];
        meter.ApplyRelayCommand(RelayCommand.Open);
        sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.Bypass());
        var start = meter.Read();
        sim.Advance(TimeSpan.FromHours(1));
        var later = meter.Read();

        Assert.Equal(RelayState.Open, later.Relay);
        Assert.True(later.ActivePowerKw > 0);
        Assert.True(later.Phases[0].CurrentA > 0);
        Assert.True(later.Alarms.HasFlag(MeterAlarms.CurrentWhileRelayOpen));
        Assert.True(later.Energy.TotalMilliwattHours > start.Energy.TotalMilliwattHours);
    }

    [Fact]
    public void Meter_side_overload_trip_opens_the_relay_after_the_delay()
    {
        var sim = OpenShop(TestSim.Meter(limitKw: 10) with { OverloadTripDelay = TimeSpan.FromSeconds(30) });
        var meter = sim["M1"];
        sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.Overload(6)); // 6 kW on top of a ~4 kW shop
        Assert.True(meter.Read().ActivePowerKw > 10);

        sim.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(RelayState.Closed, meter.Read().Relay);

        sim.Advance(TimeSpan.FromSeconds(2));
        var tripped = meter.Read();
        Assert.Equal(RelayState.Open, tripped.Relay);
        Assert.True(tripped.Alarms.HasFlag(MeterAlarms.OverloadTrip));
        Assert.Equal(0, tripped.ActivePowerKw);

        // Power stops exactly at the trip: energy frozen from then on.
        sim.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(tripped.Energy, meter.Read().Energy);
    }

    [Fact]
    public void The_overload_trip_happens_at_the_right_instant_even_when_nobody_reads_the_meter()
    {
        var sim = OpenShop(TestSim.Meter(limitKw: 10), TestSim.Meter("M2", limitKw: 10, unit: 2));
        var lazy = sim["M1"];
        var polled = sim["M2"];
        sim.Mall.Inject(EventTarget.Unit("BUS", 1), SimulationEvent.Overload());
        sim.Mall.Inject(EventTarget.Unit("BUS", 2), SimulationEvent.Overload());
        for (var i = 0; i < 120; i++)
        {
            sim.Advance(TimeSpan.FromSeconds(1));
            polled.Read();
        }

        Assert.Equal(RelayState.Open, lazy.Read().Relay);
        Assert.Equal(polled.Read().Energy, lazy.Read().Energy);
    }

    [Fact]
    public void Closing_after_an_overload_trip_clears_the_alarm()
    {
        var sim = OpenShop(TestSim.Meter(kind: "kpm33", limitKw: 60, area: 300));
        var meter = sim["M1"];
        var overload = sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.Overload());
        sim.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(RelayState.Open, meter.Read().Relay);

        sim.Mall.Clear(overload);
        meter.ApplyRelayCommand(RelayCommand.Close);
        sim.Advance(TimeSpan.FromMinutes(5));
        var reading = meter.Read();
        Assert.Equal(RelayState.Closed, reading.Relay);
        Assert.False(reading.Alarms.HasFlag(MeterAlarms.OverloadTrip));
    }
}
