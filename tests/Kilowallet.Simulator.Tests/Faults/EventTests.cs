using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;
using Kilowallet.Simulator.Tests.Infrastructure;

namespace Kilowallet.Simulator.Tests.Faults;

public sealed class EventTests
{
    private static TestSim Noon(params MeterDefinition[] meters)
    {
        var sim = TestSim.Of(meters.Length == 0 ? [TestSim.Meter(), TestSim.Meter("T1", kind: "kpm33", area: 300, limitKw: 60)] : meters);
        sim.AdvanceTo(TestSim.SpringTuesday.AddHours(12).AddSeconds(10));
        return sim;
    }

    [Fact]
    public void A_malicious_load_adds_its_power_at_a_power_factor_of_about_099()
    {
        var sim = Noon();
        var meter = sim["M1"];
        var before = meter.Read();
        sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.MaliciousLoad(2));
        var after = meter.Read();

        Assert.Equal(2.0, after.ActivePowerKw - before.ActivePowerKw, 6);
        var addedKvar = after.ReactivePowerKvar - before.ReactivePowerKvar;
        Assert.InRange(2.0 / Math.Sqrt((2.0 * 2.0) + (addedKvar * addedKvar)), 0.985, 0.995);
        Assert.True(after.PowerFactor > before.PowerFactor, "a resistive step raises the power factor");
        Assert.True(after.Phases[0].CurrentA > before.Phases[0].CurrentA + 8, "2 kW at 230 V is about 8.7 A more");
    }

    [Fact]
    public void A_malicious_load_on_a_CT_meter_shows_on_the_secondary_side()
    {
        var sim = Noon(TestSim.Meter(kind: "kpm37", format: LoadFormat.Supermarket, area: 2400, limitKw: 250, ct: 40));
        var meter = sim["M1"];
        var before = meter.Read().ActivePowerKw;
        sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.MaliciousLoad(20, phase: 1));
        var after = meter.Read();
        Assert.Equal(0.5, after.ActivePowerKw - before, 6); // 20 kW / CT 40
        Assert.True(after.Phases[1].ActivePowerKw > after.Phases[0].ActivePowerKw);
    }

    [Fact]
    public void A_sag_and_a_swell_change_the_voltage_and_raise_alarms()
    {
        var sim = Noon();
        var meter = sim["T1"];
        var sag = sim.Mall.Inject(EventTarget.Meter("T1"), SimulationEvent.VoltageSag(180));
        var sagged = meter.Read();
        Assert.All(sagged.Phases, p => Assert.InRange(p.VoltageV, 175, 185));
        Assert.True(sagged.Alarms.HasFlag(MeterAlarms.UnderVoltage));
        Assert.All(sagged.Phases, p => Assert.Equal(p.ActivePowerKw, p.VoltageV * p.CurrentA * p.PowerFactor / 1000, 6));

        sim.Mall.Clear(sag);
        sim.Mall.Inject(EventTarget.Meter("T1"), SimulationEvent.VoltageSwell(260, phase: 2));
        var swollen = meter.Read();
        Assert.InRange(swollen.Phases[2].VoltageV, 255, 265);
        Assert.InRange(swollen.Phases[0].VoltageV, 220, 240);
        Assert.True(swollen.Alarms.HasFlag(MeterAlarms.OverVoltage));
        Assert.False(swollen.Alarms.HasFlag(MeterAlarms.UnderVoltage));
    }

    [Fact]
    public void A_phase_loss_shows_zero_volts_and_amps_on_that_phase_and_less_power()
    {
        var sim = Noon();
        var meter = sim["T1"];
        var before = meter.Read();
        sim.Mall.Inject(EventTarget.Meter("T1"), SimulationEvent.PhaseLoss(1));
        var after = meter.Read();
        Assert.Equal(0, after.Phases[1].VoltageV);
        Assert.Equal(0, after.Phases[1].CurrentA);
        Assert.Equal(0, after.Phases[1].ActivePowerKw);
        Assert.True(after.Alarms.HasFlag(MeterAlarms.PhaseLoss));
        Assert.Equal(before.ActivePowerKw - before.Phases[1].ActivePowerKw, after.ActivePowerKw, 6);
        Assert.InRange(before.LineToLineVoltageV(0, 1), 390, 410);
        Assert.Equal(after.Phases[0].VoltageV, after.LineToLineVoltageV(0, 1), 1);
    }

    [Fact]
    public void A_phase_loss_on_a_single_phase_meter_is_refused()
    {
        var sim = Noon();
        var e = Assert.Throws<ArgumentException>(() => sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.PhaseLoss(1)));
        Assert.Contains("three-phase", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_counter_reset_restarts_the_registers_from_zero_or_a_given_value()
    {
        var sim = Noon();
        var meter = sim["M1"];
        sim.Advance(TimeSpan.FromHours(3));
        Assert.True(meter.Read().Energy.TotalMilliwattHours > 1_000_000);

        sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.CounterReset());
        Assert.Equal(0, meter.Read().Energy.TotalMilliwattHours);
        sim.Advance(TimeSpan.FromMinutes(30));
        var regrown = meter.Read().Energy;
        Assert.InRange(regrown.TotalMilliwattHours, 1, 10_000_000);

        sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.CounterReset(1234.5m));
        Assert.Equal(1234.5m, meter.Read().Registers.TotalKwh);
        Assert.Equal(1234.5m, meter.Read().Registers.FlatKwh);
        Assert.DoesNotContain(sim.Mall.Events, e => e.Event.Kind == EventKind.CounterReset && e.EndsAt > sim.Now);
    }

    [Fact]
    public void Offline_slow_and_CRC_settings_show_in_the_communication_state()
    {
        var sim = Noon();
        var meter = sim["M1"];
        Assert.Equal(MeterCommunication.Healthy, meter.Communication);

        var offline = sim.Mall.Inject(EventTarget.Unit("BUS", 1), SimulationEvent.Offline());
        Assert.True(meter.Communication.Offline);
        Assert.True(meter.Read().Communication.Silent);
        sim.Mall.Clear(offline);
        Assert.False(meter.Communication.Silent);

        sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.SlowResponses(TimeSpan.FromMilliseconds(300)));
        sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.CrcErrors(0.25));
        Assert.Equal(TimeSpan.FromMilliseconds(300), meter.Communication.ExtraDelay);
        Assert.Equal(0.25, meter.Communication.CrcErrorFraction);
    }

    [Fact]
    public void An_offline_gateway_silences_the_whole_bus_and_only_that_bus()
    {
        var sim = Noon(TestSim.Meter(), TestSim.Meter("M2", unit: 2), TestSim.Meter("T1", kind: "kpm33", area: 300, limitKw: 60));
        sim.Mall.Inject(EventTarget.OfGateway("BUS"), SimulationEvent.GatewayOffline() with { Duration = TimeSpan.FromMinutes(10) });
        Assert.True(sim.Mall.FindGateway("BUS")!.IsOffline);
        Assert.True(sim["M1"].Communication.GatewayOffline);
        Assert.True(sim["M2"].Communication.Silent);
        Assert.False(sim["T1"].Communication.Silent);

        // Physics goes on while nobody can read it.
        Assert.True(sim["M1"].Read().ActivePowerKw > 0);

        sim.Advance(TimeSpan.FromMinutes(10));
        Assert.False(sim.Mall.FindGateway("BUS")!.IsOffline);
        Assert.Empty(sim.Mall.Events);
    }

    [Fact]
    public void An_event_can_start_later_and_end_by_itself()
    {
        var sim = Noon(TestSim.Meter(), TestSim.Meter("M2", unit: 2)); // two identical shops
        double Difference() => sim["M2"].Read().ActivePowerKw - sim["M1"].Read().ActivePowerKw;
        sim.Mall.Inject(EventTarget.Meter("M2"), SimulationEvent.MaliciousLoad(3) with { StartAfter = TimeSpan.FromMinutes(5), Duration = TimeSpan.FromMinutes(10) });
        Assert.Single(sim.Mall.Events);

        sim.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, Difference(), 6);
        sim.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(3, Difference(), 6);
        sim.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, Difference(), 6);
        Assert.Empty(sim.Mall.Events);
    }

    [Fact]
    public void An_injected_load_adds_exactly_its_energy()
    {
        var sim = Noon(TestSim.Meter(), TestSim.Meter("M2", unit: 2));
        var plain = sim["M1"];
        var loaded = sim["M2"];
        plain.Read();
        loaded.Read();
        sim.Mall.Inject(EventTarget.Meter("M2"), SimulationEvent.MaliciousLoad(3) with { StartAfter = TimeSpan.FromMinutes(5), Duration = TimeSpan.FromMinutes(10) });
        sim.Advance(TimeSpan.FromMinutes(30));
        var extra = loaded.Read().Energy.TotalMilliwattHours - plain.Read().Energy.TotalMilliwattHours;
        Assert.InRange(extra, 500_000 - 4, 500_000 + 4); // 3 kW × 10 min = 0.5 kWh
    }

    [Fact]
    public void A_whole_gateway_can_take_a_sag_and_events_are_listed_until_cleared()
    {
        var sim = Noon(TestSim.Meter(), TestSim.Meter("M2", unit: 2));
        var id = sim.Control.Inject("sag:gateway=BUS,v=190");
        var listed = Assert.Single(sim.Control.Events);
        Assert.Equal(id, listed.Id);
        Assert.Equal(["M1", "M2"], listed.MeterSerials);
        Assert.All(sim.Control.ReadMeters(), r => Assert.InRange(r.Phases[0].VoltageV, 185, 195));
        Assert.True(sim.Control.ClearEvent(id));
        Assert.False(sim.Control.ClearEvent(id));
        Assert.All(sim.Control.ReadMeters(), r => Assert.InRange(r.Phases[0].VoltageV, 220, 240));
    }
}
