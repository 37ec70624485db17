using Kilowallet.Domain.Control;
using Kilowallet.Domain.Safety;
using static Kilowallet.Domain.Tests.Safety.Samples;

namespace Kilowallet.Domain.Tests.Safety;

public sealed class OverloadProtectionTests
{
    private static readonly OverloadSettings Settings = new()
    {
        PowerLimitKw = 10,
        CurrentLimitA = 60,
        PickupDelay = TimeSpan.FromSeconds(30),
        RecloseDelay = TimeSpan.FromMinutes(5),
        MaxRecloses = 3,
        RecloseWindow = TimeSpan.FromHours(1),
    };

    private static (OverloadProtection State, List<AlarmSignal> Signals) Feed(
        OverloadProtection state, params LiveSample[] samples)
    {
        var signals = new List<AlarmSignal>();
        foreach (var sample in samples)
        {
            var step = state.Observe(sample, Settings);
            state = step.State;
            signals.AddRange(step.Signals);
        }

        return (state, signals);
    }

    /// <summary>Overloads from <paramref name="start"/> for 40 s at 12 kW (10 s samples): long enough to trip.</summary>
    private static LiveSample[] Overload(double start) =>
        [.. Enumerable.Range(0, 5).Select(i => SinglePhase(start + (i * 10), 12))];

    [Fact]
    public void An_overload_shorter_than_the_pickup_delay_does_not_trip()
    {
        var (state, signals) = Feed(OverloadProtection.Start(Meter7), SinglePhase(0, 12), SinglePhase(20, 12), SinglePhase(29, 12), SinglePhase(35, 8));

        Assert.Equal(OverloadPhase.Normal, state.Phase);
        Assert.Empty(signals);
    }

    [Fact]
    public void An_overload_lasting_the_pickup_delay_trips_and_raises_an_alarm()
    {
        var (state, signals) = Feed(OverloadProtection.Start(Meter7), SinglePhase(0, 12), SinglePhase(30, 12.5));

        Assert.Equal(SafetyHold.Overload, state.Hold);
        var alarm = Assert.Single(signals);
        Assert.Equal((AlarmSignalKind.Raise, AlarmType.Overload), (alarm.Kind, alarm.Key.Type));
        Assert.Contains("12.50 kW over the 10 kW limit", alarm.Detail, StringComparison.Ordinal);
        Assert.Equal(T0.AddSeconds(330), state.RecloseDueAt(Settings));
    }

    [Fact]
    public void A_phase_current_above_its_limit_trips_too()
    {
        var heavy = SinglePhase(0, 5) with { Phases = [new PhaseSample(230, 70, 5)] };

        var (state, _) = Feed(OverloadProtection.Start(Meter7), heavy, heavy with { At = T0.AddSeconds(30) });

        Assert.Equal(OverloadPhase.Tripped, state.Phase);
    }

    [Fact]
    public void After_the_reclose_delay_the_hold_ends_and_the_alarm_clears()
    {
        var (tripped, _) = Feed(OverloadProtection.Start(Meter7), Overload(0));

        var early = tripped.Advance(T0.AddSeconds(329), Settings);
        var due = tripped.Advance(T0.AddSeconds(330), Settings);

        Assert.Equal(SafetyHold.Overload, early.State.Hold);
        Assert.Equal(SafetyHold.None, due.State.Hold);
        Assert.Equal(AlarmSignalKind.Clear, Assert.Single(due.Signals).Kind);
    }

    [Fact]
    public void The_reclose_also_happens_on_a_sample_that_arrives_after_it_is_due()
    {
        var (tripped, _) = Feed(OverloadProtection.Start(Meter7), Overload(0));

        var (state, signals) = Feed(tripped, SinglePhase(400, 0, RelayState.Open));

        Assert.Equal(OverloadPhase.Normal, state.Phase);
        Assert.Equal(AlarmSignalKind.Clear, Assert.Single(signals).Kind);
    }

    [Fact]
    public void Trip_reclose_three_times_then_the_fourth_trip_locks_out_until_an_operator_resets()
    {
        var state = OverloadProtection.Start(Meter7);
        var signals = new List<AlarmSignal>();
        for (var trip = 0; trip < 4; trip++)
        {
            var start = trip * 600;
            (state, var raised) = Feed(state, Overload(start));
            signals.AddRange(raised);
            if (trip < 3)
            {
                Assert.Equal(OverloadPhase.Tripped, state.Phase);
                state = state.Advance(T0.AddSeconds(start + 400), Settings).State;
            }
        }

        Assert.Equal(SafetyHold.OverloadLockout, state.Hold);
        Assert.Null(state.RecloseDueAt(Settings));
        Assert.Equal(SafetyHold.OverloadLockout, state.Advance(T0.AddDays(1), Settings).State.Hold);
        Assert.Equal(4, signals.Count(s => s.Key.Type == AlarmType.Overload));
        Assert.Single(signals, s => s.Key.Type == AlarmType.OverloadLockout);

        var reset = state.OperatorReset(T0.AddHours(2), "op-1");
        Assert.Equal(SafetyHold.None, reset.State.Hold);
        Assert.Empty(reset.State.Recloses);
        Assert.All(reset.Signals, s => Assert.Equal(("op-1", AlarmSignalKind.Clear), (s.By, s.Kind)));
    }

    [Fact]
    public void Recloses_older_than_the_window_are_forgotten()
    {
        var state = OverloadProtection.Start(Meter7);
        for (var trip = 0; trip < 6; trip++)
        {
            var start = trip * 3600 * 0.5;
            state = Feed(state, Overload(start)).State;
            Assert.Equal(OverloadPhase.Tripped, state.Phase);
            state = state.Advance(T0.AddSeconds(start + 400), Settings).State;
        }

        Assert.True(state.Recloses.Length <= 3);
    }

    [Fact]
    public void With_no_automatic_recloses_the_first_trip_locks_out()
    {
        var state = OverloadProtection.Start(Meter7);
        foreach (var sample in Overload(0))
        {
            state = state.Observe(sample, Settings with { MaxRecloses = 0 }).State;
        }

        Assert.Equal(OverloadPhase.LockedOut, state.Phase);
    }

    [Fact]
    public void Without_limits_nothing_trips() =>
        Assert.Equal(
            OverloadPhase.Normal,
            Overload(0).Aggregate(OverloadProtection.Start(Meter7), (s, x) => s.Observe(x, new OverloadSettings()).State).Phase);
}
