using Kilowallet.Domain.Control;
using Kilowallet.Domain.Safety;
using static Kilowallet.Domain.Tests.Safety.Samples;

namespace Kilowallet.Domain.Tests.Safety;

public sealed class BypassDetectorTests
{
    private static readonly BypassSettings Settings = new() { RaiseAfter = TimeSpan.FromSeconds(30), ClearAfter = TimeSpan.FromSeconds(30) };

    private static List<AlarmSignal> Feed(RelayState? commanded, params LiveSample[] samples)
    {
        var detector = BypassDetector.Start(Meter7);
        var signals = new List<AlarmSignal>();
        foreach (var sample in samples)
        {
            var step = detector.Observe(sample, commanded, Settings);
            detector = step.State;
            signals.AddRange(step.Signals);
        }

        return signals;
    }

    [Fact]
    public void Current_flowing_through_a_relay_reported_open_raises_a_bypass_alarm()
    {
        var signals = Feed(RelayState.Open, SinglePhase(0, 0.7, RelayState.Open), SinglePhase(30, 0.7, RelayState.Open));

        var alarm = Assert.Single(signals);
        Assert.Equal((AlarmType.Bypass, AlarmSeverity.Critical), (alarm.Key.Type, alarm.Severity));
        Assert.Contains("3.04 A", alarm.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Current_while_the_relay_is_commanded_open_but_reads_closed_also_raises_it() =>
        Assert.Single(Feed(RelayState.Open, SinglePhase(0, 1, RelayState.Closed), SinglePhase(40, 1, RelayState.Closed)));

    [Fact]
    public void Current_for_less_than_the_raise_delay_is_a_relay_still_moving() =>
        Assert.Empty(Feed(RelayState.Open, SinglePhase(0, 1, RelayState.Closed), SinglePhase(20, 0, RelayState.Open), SinglePhase(60, 0, RelayState.Open)));

    [Fact]
    public void Measurement_noise_below_the_tolerance_is_ignored() =>
        Assert.Empty(Feed(
            RelayState.Open,
            SinglePhase(0, 0.01, RelayState.Open) with { Phases = [new PhaseSample(230, 0.1, 0.01)] },
            SinglePhase(60, 0.01, RelayState.Open) with { Phases = [new PhaseSample(230, 0.1, 0.01)] }));

    [Fact]
    public void A_closed_relay_never_raises_it() =>
        Assert.Empty(Feed(RelayState.Closed, SinglePhase(0, 5), SinglePhase(600, 5)));

    [Fact]
    public void The_alarm_clears_once_no_current_flows_for_the_clear_delay()
    {
        var signals = Feed(
            RelayState.Open,
            SinglePhase(0, 1, RelayState.Open), SinglePhase(30, 1, RelayState.Open),
            SinglePhase(40, 0, RelayState.Open), SinglePhase(70, 0, RelayState.Open));

        Assert.Equal([AlarmSignalKind.Raise, AlarmSignalKind.Clear], signals.Select(s => s.Kind));
    }
}
