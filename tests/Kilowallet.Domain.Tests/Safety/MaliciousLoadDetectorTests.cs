using Kilowallet.Domain.Control;
using Kilowallet.Domain.Safety;
using static Kilowallet.Domain.Tests.Safety.Samples;

namespace Kilowallet.Domain.Tests.Safety;

public sealed class MaliciousLoadDetectorTests
{
    private static readonly MaliciousLoadSettings Allowed = new();
    private static readonly MaliciousLoadSettings Forbidden = new() { TripWhenDetected = true };

    private static (MaliciousLoadDetector State, List<AlarmSignal> Signals) Feed(MaliciousLoadSettings settings, params LiveSample[] samples)
    {
        var detector = MaliciousLoadDetector.Start(Meter7);
        var signals = new List<AlarmSignal>();
        foreach (var sample in samples)
        {
            var step = detector.Observe(sample, settings);
            detector = step.State;
            signals.AddRange(step.Signals);
        }

        return (detector, signals);
    }

    [Fact]
    public void A_resistive_step_with_power_factor_0_97_raises_an_alarm()
    {
        // +2.0 kW and +0.5 kvar: the step's own power factor is 2 / √(4 + 0.25) ≈ 0.970.
        var before = WithReactive(0, 0.5, 0.3);
        var after = WithReactive(10, 2.5, 0.8);

        var (_, signals) = Feed(Allowed, before, after);

        Assert.Equal(0.970, MaliciousLoadDetector.StepPowerFactor(before, after)!.Value, 3);
        var alarm = Assert.Single(signals);
        Assert.Equal((AlarmSignalKind.Raise, AlarmType.MaliciousLoad), (alarm.Kind, alarm.Key.Type));
        Assert.Contains("2.00 kW (power factor 0.97)", alarm.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inductive_step_with_power_factor_0_7_raises_nothing()
    {
        // +2.0 kW and +2.04 kvar: power factor ≈ 0.70 (a motor or compressor).
        var before = WithReactive(0, 0.5, 0.3);
        var after = WithReactive(10, 2.5, 2.34);

        Assert.Equal(0.70, MaliciousLoadDetector.StepPowerFactor(before, after)!.Value, 2);
        Assert.Empty(Feed(Allowed, before, after).Signals);
    }

    [Fact]
    public void A_resistive_step_on_an_inductive_base_load_is_seen_through_the_apparent_power()
    {
        // Base 1 kW at PF 0.71 (S = 1.414 kVA); a 2 kW heater leaves Q unchanged: S = √(9 + 1).
        var before = SinglePhase(0, 1) with { TotalApparentPowerKva = Math.Sqrt(2) };
        var after = SinglePhase(10, 3) with { TotalApparentPowerKva = Math.Sqrt(10), PowerFactor = 0.95 };

        Assert.Equal(1.0, MaliciousLoadDetector.StepPowerFactor(before, after)!.Value, 6);
        Assert.Single(Feed(Allowed, before, after).Signals);
    }

    [Fact]
    public void Without_reactive_or_apparent_power_the_power_factor_after_the_step_decides()
    {
        var before = SinglePhase(0, 0.2);

        Assert.Single(Feed(Allowed, before, SinglePhase(10, 2.2) with { PowerFactor = 0.97 }).Signals);
        Assert.Empty(Feed(Allowed, before, SinglePhase(10, 2.2) with { PowerFactor = 0.7 }).Signals);
        Assert.Empty(Feed(Allowed, before, SinglePhase(10, 2.2)).Signals);
    }

    [Fact]
    public void A_step_below_the_threshold_or_across_a_long_gap_raises_nothing()
    {
        Assert.Empty(Feed(Allowed, WithReactive(0, 0.5, 0), WithReactive(10, 1.9, 0)).Signals);
        Assert.Empty(Feed(Allowed, WithReactive(0, 0.5, 0), WithReactive(600, 3.5, 0)).Signals);
    }

    [Fact]
    public void Where_such_appliances_are_allowed_the_alarm_clears_when_the_power_falls_back()
    {
        var (state, signals) = Feed(
            Allowed, WithReactive(0, 0.5, 0), WithReactive(10, 2.5, 0), WithReactive(20, 2.5, 0), WithReactive(30, 0.6, 0));

        Assert.Equal([AlarmSignalKind.Raise, AlarmSignalKind.Clear], signals.Select(s => s.Kind));
        Assert.Equal(SafetyHold.None, state.Hold);
        Assert.Null(state.Detection);
    }

    [Fact]
    public void Where_the_shop_forbids_such_appliances_a_detection_holds_the_supply_cut_until_an_operator_resets()
    {
        var (state, signals) = Feed(
            Forbidden, WithReactive(0, 0.5, 0), WithReactive(10, 2.5, 0), SinglePhase(20, 0, RelayState.Open), SinglePhase(3600, 0, RelayState.Open));

        Assert.Equal(SafetyHold.MaliciousLoad, state.Hold);
        Assert.Single(signals);

        var reset = state.OperatorReset(T0.AddHours(2), "op-1");
        Assert.Equal(SafetyHold.None, reset.State.Hold);
        Assert.Equal("op-1", Assert.Single(reset.Signals).By);
    }

    [Fact]
    public void A_release_delay_ends_the_hold_by_itself()
    {
        var settings = Forbidden with { ReleaseAfter = TimeSpan.FromMinutes(30) };

        var (state, signals) = Feed(
            settings, WithReactive(0, 0.5, 0), WithReactive(10, 2.5, 0), SinglePhase(600, 0, RelayState.Open), SinglePhase(1810, 0, RelayState.Open));

        Assert.Equal(SafetyHold.None, state.Hold);
        Assert.Equal([AlarmSignalKind.Raise, AlarmSignalKind.Clear], signals.Select(s => s.Kind));
    }
}
