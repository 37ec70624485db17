using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;
using Kilowallet.Simulator.Tests.Infrastructure;

namespace Kilowallet.Simulator.Tests.Mall;

public sealed class SimulatedMallTests
{
    [Fact]
    public void Meters_are_found_by_gateway_and_unit_id_by_address_and_by_serial()
    {
        var sim = new TestSim(PlazaLike.Build(), TestSim.SpringTuesday);
        Assert.Equal(120, sim.Mall.Meters.Count);
        Assert.Equal("KPM31-1F002", sim.Mall.FindUnit("F1-BUS-A", 1)!.Serial);
        Assert.Equal("KPM31-1F021", sim.Mall.FindUnit("F1-BUS-B", 1)!.Serial);
        Assert.Null(sim.Mall.FindUnit("F1-BUS-A", 200));
        Assert.Equal("DLT645-3F007", sim.Mall.FindAddress("000000030007")!.Serial);
        Assert.Equal("DLT645-3F007", sim.Mall.FindGateway("F3-645")!.FindAddress("000000030007")!.Serial);
        Assert.Equal("sdm120", sim.Mall.FindSerial("SDM120-2F021")!.Kind.Name);
        Assert.Same(sim.Mall.FindSerial("SDM630-PUBMAIN"), sim.Mall.Incomer);
        Assert.Equal(32, sim.Mall.FindGateway("F1-BUS-A")!.Meters.Count + sim.Mall.FindGateway("F1-BUS-B")!.Meters.Count - 5);
    }

    [Fact]
    public void The_master_incomer_measures_the_sum_of_the_other_meters_plus_losses()
    {
        var sim = new TestSim(PlazaLike.Build(), TestSim.SpringTuesday);
        var incomer = sim.Mall.Incomer!;
        var start = sim.Control.ReadMeters();
        sim.AdvanceTo(TestSim.SpringTuesday.AddHours(12).AddSeconds(30));

        var readings = sim.Control.ReadMeters();
        double SumPrimary(Func<MeterReading, double> value) =>
            readings.Where(r => r.Serial != incomer.Serial).Sum(r => value(r) * (double)sim.Mall.FindSerial(r.Serial)!.Definition.CtRatio);
        var master = readings.Single(r => r.Serial == incomer.Serial);
        Assert.Equal(SumPrimary(r => r.ActivePowerKw) * 1.015, master.ActivePowerKw * 200, 2);
        Assert.InRange(master.ActivePowerKw * 200, 300, 1200); // below the incomer's 1,200 kW limit

        var subEnergy = readings.Zip(start).Where(p => p.First.Serial != incomer.Serial)
            .Sum(p => (p.First.Energy - p.Second.Energy).TotalMilliwattHours * (double)sim.Mall.FindSerial(p.First.Serial)!.Definition.CtRatio);
        var masterEnergy = (master.Energy - start.Single(r => r.Serial == incomer.Serial).Energy).TotalMilliwattHours * 200.0;
        Assert.Equal(1.0, masterEnergy / (subEnergy * 1.015), 3);
    }

    [Fact]
    public void The_incomer_sees_a_tripped_shop_disappear_at_the_instant_it_trips()
    {
        var sim = new TestSim(PlazaLike.Build(), TestSim.SpringTuesday);
        sim.AdvanceTo(TestSim.SpringTuesday.AddHours(12));
        var incomer = sim.Mall.Incomer!;
        var before = incomer.Read().ActivePowerKw;
        var supermarket = sim.Mall.FindSerial("KPM37-1F001")!;
        var shopKw = supermarket.Read().ActivePowerKw * 40;

        supermarket.ApplyRelayCommand(RelayCommand.Open);
        var after = incomer.Read().ActivePowerKw;
        Assert.Equal(shopKw * 1.015, (before - after) * 200, 1);
    }

    [Fact]
    public async Task Concurrent_readers_see_the_same_energy_as_a_single_reader()
    {
        var single = new TestSim(PlazaLike.Build(), TestSim.SpringTuesday);
        var shared = new TestSim(PlazaLike.Build(), TestSim.SpringTuesday);
        for (var step = 0; step < 24; step++)
        {
            single.Advance(TimeSpan.FromMinutes(47));
            shared.Advance(TimeSpan.FromMinutes(47));
            single.Control.ReadMeters();

            // Two threads read every meter (the incomer too, which advances the others) in opposite orders.
            var meters = shared.Mall.Meters;
            await Task.WhenAll(
                Task.Run(() => { foreach (var m in meters) { m.Read(); } }, TestContext.Current.CancellationToken),
                Task.Run(() => { foreach (var m in meters.Reverse()) { m.Read(); } }, TestContext.Current.CancellationToken));
        }

        Assert.Equal(single.Control.ReadMeters().Select(r => r.Energy), shared.Control.ReadMeters().Select(r => r.Energy));
    }

    [Fact]
    public void History_generation_ends_where_live_state_begins()
    {
        var start = TestSim.SpringTuesday.AddDays(21);
        var sim = new TestSim(PlazaLike.Build(), start);
        var history = sim.Mall.GenerateHistory(start.AddDays(-21), TimeSpan.FromHours(1));

        Assert.Equal(sim.Now, history.LiveFrom);
        Assert.All(history.Meters, m => Assert.Equal((21 * 24) + 1, m.Readings.Count));
        foreach (var meter in history.Meters)
        {
            var live = sim.Mall.FindSerial(meter.Serial)!.Read();
            var last = meter.Readings[^1];
            Assert.Equal(sim.Now, last.At);
            Assert.Equal(last.Energy, live.Energy); // no jump
            for (var i = 1; i < meter.Readings.Count; i++)
            {
                Assert.True(meter.Readings[i].Energy.TotalMilliwattHours >= meter.Readings[i - 1].Energy.TotalMilliwattHours);
            }
        }

        // Registers keep growing from there.
        sim.Advance(TimeSpan.FromHours(1));
        var supermarket = history.Meters.Single(m => m.Serial == "KPM37-1F001");
        Assert.True(sim.Mall.FindSerial("KPM37-1F001")!.Read().Energy.TotalMilliwattHours > supermarket.Readings[^1].Energy.TotalMilliwattHours);
    }

    [Fact]
    public void History_agrees_with_running_the_meter_live_over_the_same_period()
    {
        var start = TestSim.SpringTuesday.AddDays(2);
        var generated = new TestSim(TestSim.Definition(TestSim.Meter(format: LoadFormat.Restaurant)), start);
        var history = generated.Mall.GenerateHistory(TestSim.SpringTuesday, TimeSpan.FromHours(1));

        var live = new TestSim(TestSim.Definition(TestSim.Meter(format: LoadFormat.Restaurant)), TestSim.SpringTuesday);
        foreach (var reading in history.Meters[0].Readings)
        {
            live.AdvanceTo(reading.At);
            Assert.Equal(reading.Energy, live["M1"].Read().Energy);
        }
    }

    [Fact]
    public void Three_weeks_of_hourly_history_for_120_meters_has_every_hour_of_every_meter()
    {
        // How long it takes is measured by the bench (simulator-core.demo_plaza_3_weeks_hourly_history), not here.
        var start = TestSim.SpringTuesday.AddDays(21);
        var sim = new TestSim(PlazaLike.Build(), start);
        var history = sim.Mall.GenerateHistory(start.AddDays(-21), TimeSpan.FromHours(1));
        Assert.Equal(120 * ((21 * 24) + 1), history.Meters.Sum(m => m.Readings.Count));
    }

    [Fact]
    public void History_starts_from_the_opening_reading()
    {
        var start = TestSim.SpringTuesday.AddDays(1);
        var sim = new TestSim(TestSim.Definition(TestSim.Meter() with { OpeningKwh = 5432.1m }), start);
        var history = sim.Mall.GenerateHistory(TestSim.SpringTuesday, TimeSpan.FromHours(6));
        Assert.Equal(5432.1m, history.Meters[0].Readings[0].Energy.TotalKwh);
        Assert.True(history.Meters[0].Readings[^1].Energy.TotalKwh > 5432.1m);
    }

    [Fact]
    public void History_cannot_be_generated_after_a_live_read()
    {
        var sim = TestSim.Of(TestSim.Meter());
        sim.Advance(TimeSpan.FromMinutes(1));
        sim["M1"].Read();
        Assert.Throws<InvalidOperationException>(() => sim.Mall.GenerateHistory(sim.Now.AddDays(-1), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void The_control_surface_lists_meters_sets_relays_injects_events_and_changes_speed()
    {
        var sim = TestSim.Of(TestSim.Meter(), TestSim.Meter("D1", kind: "dlt645"));
        var control = sim.Control;
        Assert.Equal(2, control.ReadMeters().Count);
        Assert.Equal(RelayOutcome.Done, control.SetRelay("M1", RelayCommand.Open));
        Assert.Equal(RelayState.Open, control.ReadMeter("M1").Relay);
        control.SetRelay("D1", RelayCommand.Open);
        Assert.Equal(RelayOutcome.AwaitingButton, control.SetRelay("D1", RelayCommand.Close));
        Assert.True(control.PressButton("D1"));
        var id = control.Inject("offline:serial=M1");
        Assert.True(control.ReadMeter("M1").Communication.Offline);
        Assert.True(control.ClearEvent(id));

        control.SetSpeed(60);
        Assert.Equal(60, control.Speed);
        var before = control.Now;
        sim.Fake.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(before.AddMinutes(1), control.Now);

        var unknown = Assert.Throws<ArgumentException>(() => control.ReadMeter("nope"));
        Assert.Contains("nope", unknown.Message, StringComparison.Ordinal);
    }
}
