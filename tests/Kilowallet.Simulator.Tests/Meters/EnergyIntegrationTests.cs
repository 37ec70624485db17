using FsCheck.Xunit;
using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;
using Kilowallet.Simulator.Tests.Infrastructure;

namespace Kilowallet.Simulator.Tests.Meters;

public sealed class EnergyIntegrationTests
{
    [Theory]
    [InlineData("kpm31", LoadFormat.Apparel)]
    [InlineData("kpm31", LoadFormat.Restaurant)]
    [InlineData("kpm37", LoadFormat.Supermarket)]
    [InlineData("sdm630", LoadFormat.CentralAirConditioning)]
    public void Energy_increases_by_the_integral_of_power_over_a_day(string kind, LoadFormat format)
    {
        var definition = kind == "kpm37"
            ? TestSim.Meter(kind: kind, format: format, area: 2400, limitKw: 250, ct: 40)
            : kind == "sdm630" ? TestSim.Meter(kind: kind, format: format, area: 0, limitKw: 400, ct: 80) : TestSim.Meter(kind: kind, format: format);
        var sim = TestSim.At(TestSim.SummerWednesday, definition);
        var meter = sim["M1"];
        var start = sim.Now;
        var before = meter.Read().Energy;

        // Read at irregular moments (37 s apart) through the day, like a poller would.
        var end = start.AddDays(1);
        while (sim.Now < end)
        {
            var step = TimeSpan.FromSeconds(37) < end - sim.Now ? TimeSpan.FromSeconds(37) : end - sim.Now;
            sim.Advance(step);
            meter.Read();
        }

        var gained = meter.Read().Energy - before;
        var (referenceMwh, referenceBands) = Reference.Integrate(meter, start, end, TimeSpan.FromSeconds(5));
        Assert.True(referenceMwh > 1_000, $"the load should be real: {referenceMwh} mWh");
        Assert.InRange(gained.TotalMilliwattHours, referenceMwh - 5, referenceMwh + 1);
        foreach (var band in Enum.GetValues<TouBand>())
        {
            Assert.InRange(gained[band], referenceBands[(int)band] - 2, referenceBands[(int)band] + 1);
        }
    }

    [Fact]
    public void Band_registers_sum_to_the_total_and_follow_the_meters_TOU_table()
    {
        var sim = TestSim.At(TestSim.SummerWednesday, TestSim.Meter(format: LoadFormat.Restaurant));
        var meter = sim["M1"];
        sim.Advance(TimeSpan.FromDays(1));
        var energy = meter.Read().Energy;

        Assert.Equal(energy.TotalMilliwattHours, energy.SharpMilliwattHours + energy.PeakMilliwattHours + energy.FlatMilliwattHours + energy.ValleyMilliwattHours);
        Assert.True(energy.SharpMilliwattHours > 0, "July has a sharp band 13:00–15:00");
        Assert.True(energy.PeakMilliwattHours > energy.ValleyMilliwattHours, "a restaurant uses most at lunch and dinner (peak), little at night (valley)");

        var registers = meter.Read().Registers;
        var bandSum = registers.SharpKwh + registers.PeakKwh + registers.FlatKwh + registers.ValleyKwh;
        Assert.InRange(registers.TotalKwh - bandSum, 0m, 0.03m); // each register truncated to 0.01 kWh
    }

    [Fact]
    public void Outside_summer_there_is_no_sharp_energy()
    {
        var sim = TestSim.Of(TestSim.Meter(format: LoadFormat.Restaurant));
        sim.Advance(TimeSpan.FromDays(2));
        var energy = sim["M1"].Read().Energy;
        Assert.Equal(0, energy.SharpMilliwattHours);
        Assert.True(energy.PeakMilliwattHours > 0);
    }

    [Theory]
    [InlineData(1800)]
    [InlineData(-2700)]
    [InlineData(37)]
    public void With_clock_drift_the_band_split_shifts_by_the_drift(int driftSeconds)
    {
        var sim = TestSim.At(TestSim.SummerWednesday, TestSim.Meter(format: LoadFormat.Restaurant), TestSim.Meter("M2", format: LoadFormat.Restaurant, unit: 2));
        var drifting = sim["M1"];
        var exact = sim["M2"];
        var start = sim.Now;
        sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.ClockDrift(TimeSpan.FromSeconds(driftSeconds)));

        sim.Advance(TimeSpan.FromDays(1));
        var shifted = drifting.Read();
        Assert.Equal(sim.Now.AddSeconds(driftSeconds), shifted.MeterTime);

        var (total, bands) = Reference.Integrate(drifting, start, sim.Now, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(driftSeconds));
        Assert.InRange(shifted.Energy.TotalMilliwattHours, total - 5, total + 1);
        foreach (var band in Enum.GetValues<TouBand>())
        {
            Assert.InRange(shifted.Energy[band], bands[(int)band] - 2, bands[(int)band] + 1);
        }

        // Same load, different split than the meter whose clock is right.
        var straight = exact.Read().Energy;
        Assert.NotEqual(straight.PeakMilliwattHours, shifted.Energy.PeakMilliwattHours);
    }

    [Fact]
    public void A_time_sync_sets_the_meter_clock()
    {
        var sim = TestSim.Of(TestSim.Meter());
        var meter = sim["M1"];
        meter.SetMeterClock(sim.Now.AddMinutes(-5));
        Assert.Equal(sim.Now.AddMinutes(-5), meter.Read().MeterTime);
        sim.Advance(TimeSpan.FromHours(1));
        Assert.Equal(sim.Now.AddMinutes(-5), meter.Read().MeterTime);
    }

    [Property(MaxTest = 40)]
    public bool Registers_only_grow_and_reading_more_often_changes_nothing(ushort[] gapsInSeconds)
    {
        var sim = TestSim.Of(TestSim.Meter(format: LoadFormat.Services), TestSim.Meter("M2", format: LoadFormat.Services, unit: 2));
        var polled = sim["M1"];
        var unpolled = sim["M2"];
        var last = polled.Read().Energy;
        foreach (var gap in gapsInSeconds ?? [])
        {
            sim.Advance(TimeSpan.FromSeconds(gap * 3));
            var now = polled.Read().Energy;
            if (now.TotalMilliwattHours < last.TotalMilliwattHours || Enum.GetValues<TouBand>().Any(b => now[b] < last[b]))
            {
                return false;
            }

            last = now;
        }

        // Two meters with the same load (same seed, same format) read at different moments agree exactly: the
        // integration is exact, whatever the read pattern.
        return unpolled.Read().Energy == polled.Read().Energy;
    }

    [Fact]
    public void Accelerated_time_keeps_energy_the_same_as_real_time_for_the_same_simulated_day()
    {
        MeterEnergy Day(double speed)
        {
            var sim = new TestSim(TestSim.Definition(TestSim.Meter(format: LoadFormat.Supermarket, area: 120, limitKw: 20)), TestSim.SpringTuesday, speed);
            var meter = sim["M1"];
            meter.Read();
            var end = sim.Now.AddDays(1);
            while (sim.Now < end)
            {
                // A poll every real second, whatever the speed.
                var remaining = end - sim.Now;
                var step = TimeSpan.FromTicks((long)Math.Min(remaining.Ticks, TimeSpan.TicksPerSecond * speed));
                sim.Advance(step);
                meter.Read();
            }

            Assert.Equal(end, sim.Now);
            return meter.Read().Energy;
        }

        var real = Day(1);
        Assert.Equal(real, Day(60));
        Assert.Equal(real, Day(3600));
    }

    [Fact]
    public void Registers_show_the_resolution_and_roll_over_at_their_capacity()
    {
        var energy = new MeterEnergy(0, 0, 1_000_012_345_678, 0); // 1,000,012.345678 kWh
        var registers = energy.ToRegisters(0.01m, 1_000_000m);
        Assert.Equal(12.34m, registers.TotalKwh);
        Assert.Equal(12.34m, registers.FlatKwh);
    }
}
