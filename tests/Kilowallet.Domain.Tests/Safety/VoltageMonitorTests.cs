using Kilowallet.Domain.Safety;
using static Kilowallet.Domain.Tests.Safety.Samples;

namespace Kilowallet.Domain.Tests.Safety;

public sealed class VoltageMonitorTests
{
    // 230 V ± 10 %: over above 253 V (clears below 248.4 V), under below 207 V (clears above 211.6 V).
    private static readonly VoltageSettings Settings = new()
    {
        RaiseAfter = TimeSpan.FromSeconds(10),
        ClearAfter = TimeSpan.FromSeconds(30),
    };

    private static List<AlarmSignal> Feed(params LiveSample[] samples)
    {
        var monitor = VoltageMonitor.Start(Meter7);
        var signals = new List<AlarmSignal>();
        foreach (var sample in samples)
        {
            var step = monitor.Observe(sample, Settings);
            monitor = step.State;
            signals.AddRange(step.Signals);
        }

        return signals;
    }

    private static LiveSample Volts(double seconds, double l1, double l2 = 230, double l3 = 230) => ThreePhase(seconds, l1, l2, l3);

    [Fact]
    public void A_sustained_over_voltage_raises_an_alarm_naming_the_phase()
    {
        var signals = Feed(Volts(0, 256), Volts(5, 257), Volts(10, 256));

        var alarm = Assert.Single(signals);
        Assert.Equal((AlarmSignalKind.Raise, AlarmType.OverVoltage, "L1 256.0 V"), (alarm.Kind, alarm.Key.Type, alarm.Detail));
    }

    [Fact]
    public void A_short_spike_raises_nothing() =>
        Assert.Empty(Feed(Volts(0, 260), Volts(5, 260), Volts(9, 230), Volts(12, 260)));

    [Fact]
    public void An_over_voltage_clears_only_well_inside_the_limit_and_after_the_clear_delay()
    {
        var signals = Feed(
            Volts(0, 256), Volts(10, 256),           // raised
            Volts(20, 250), Volts(60, 250),          // below 253 but above 248.4: stays raised
            Volts(70, 240), Volts(90, 240), Volts(100, 240)); // cleared 30 s after 70

        Assert.Equal([AlarmSignalKind.Raise, AlarmSignalKind.Clear], signals.Select(s => s.Kind));
        Assert.Equal(T0.AddSeconds(100), signals[1].At);
    }

    [Fact]
    public void A_sustained_under_voltage_raises_an_alarm() =>
        Assert.Equal(AlarmType.UnderVoltage, Assert.Single(Feed(Volts(0, 230, 200), Volts(10, 230, 198))).Key.Type);

    [Fact]
    public void A_dead_phase_beside_live_ones_is_phase_loss_not_under_voltage()
    {
        var signals = Feed(Volts(0, 230, 0), Volts(10, 231, 2));

        var alarm = Assert.Single(signals);
        Assert.Equal((AlarmType.PhaseLoss, "L2 2.0 V"), (alarm.Key.Type, alarm.Detail));
    }

    [Fact]
    public void All_phases_dead_is_a_supply_outage_not_a_voltage_alarm() =>
        Assert.Empty(Feed(Volts(0, 0, 0, 0), Volts(60, 0, 0, 0)));

    [Fact]
    public void A_single_phase_meter_reading_zero_volts_is_not_phase_loss() =>
        Assert.Empty(Feed(
            SinglePhase(0, 0) with { Phases = [new PhaseSample(0, 0, 0)] },
            SinglePhase(60, 0) with { Phases = [new PhaseSample(0, 0, 0)] }));
}
