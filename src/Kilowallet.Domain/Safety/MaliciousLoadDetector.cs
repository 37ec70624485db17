using System.Collections.Immutable;
using System.Globalization;
using Kilowallet.Domain.Control;

namespace Kilowallet.Domain.Safety;

/// <summary>
/// Illegal high-power appliance (malicious load) identification for one meter: a rise in active
/// power of at least the step threshold between consecutive samples, whose own power factor is
/// resistive, raises an alarm — and a safety hold when the shop forbids such appliances. The alarm
/// clears when the power falls back (the appliance is switched off) unless the supply was cut, in
/// which case the hold lasts until an operator resets or the release delay passes.
/// </summary>
public sealed record MaliciousLoadDetector
{
    private MaliciousLoadDetector(AlarmSource source) => Source = source;

    public AlarmSource Source { get; }

    public LiveSample? Previous { get; private init; }

    /// <summary>The power before the detected step and the step itself; null when nothing is detected.</summary>
    public LoadStep? Detection { get; private init; }

    public bool IsHolding { get; private init; }

    public SafetyHold Hold => IsHolding ? SafetyHold.MaliciousLoad : SafetyHold.None;

    public static MaliciousLoadDetector Start(AlarmSource source) => new(source);

    /// <summary>
    /// The power factor of the load added between two samples. With reactive power (or apparent power, from
    /// which the reactive power's size is derived) in both samples it is ΔP / √(ΔP² + ΔQ²), the step's own
    /// power factor; otherwise the power factor after the step stands in. Null when the power did not rise or
    /// no power factor can be found.
    /// </summary>
    public static double? StepPowerFactor(LiveSample before, LiveSample after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var deltaP = after.TotalActivePowerKw - before.TotalActivePowerKw;
        if (deltaP <= 0)
        {
            return null;
        }

        var deltaQ = (ReactiveKvar(before), ReactiveKvar(after)) switch
        {
            ({ } q1, { } q2) => q2 - q1,
            _ => (double?)null,
        };
        if (deltaQ is { } dq)
        {
            return deltaP / Math.Sqrt((deltaP * deltaP) + (dq * dq));
        }

        return after.PowerFactor is { } pf ? Math.Abs(pf) : null;
    }

    public SafetyStep<MaliciousLoadDetector> Observe(LiveSample sample, MaliciousLoadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(settings);
        var state = this with { Previous = sample };
        var signals = ImmutableArray.CreateBuilder<AlarmSignal>();

        if (IsHolding)
        {
            if (settings.ReleaseAfter is { } release && Detection is { } held && sample.At - held.At >= release)
            {
                signals.Add(AlarmSignal.Clear(AlarmType.MaliciousLoad, Source, sample.At, "Released after the hold time."));
                return new(state with { IsHolding = false, Detection = null }, signals.ToImmutable());
            }

            return new(state, []);
        }

        if (Detection is { } detected && sample.TotalActivePowerKw <= detected.BaselineKw + (detected.StepKw / 2))
        {
            signals.Add(AlarmSignal.Clear(AlarmType.MaliciousLoad, Source, sample.At, "The appliance was switched off."));
            state = state with { Detection = null };
        }

        if (Previous is { } previous
            && sample.At - previous.At <= settings.MaxSampleGap
            && sample.TotalActivePowerKw - previous.TotalActivePowerKw >= settings.StepThresholdKw
            && StepPowerFactor(previous, sample) is { } pf
            && pf >= settings.ResistivePowerFactor)
        {
            var step = sample.TotalActivePowerKw - previous.TotalActivePowerKw;
            signals.Add(AlarmSignal.Raise(
                AlarmType.MaliciousLoad,
                Source,
                sample.At,
                string.Create(CultureInfo.InvariantCulture, $"Resistive step of {step:0.00} kW (power factor {pf:0.00}).")));
            state = state with
            {
                Detection = state.Detection ?? new LoadStep(previous.TotalActivePowerKw, step, sample.At),
                IsHolding = settings.TripWhenDetected,
            };
        }

        return new(state, signals.ToImmutable());
    }

    /// <summary>An operator resets a trip (after the appliance has been removed).</summary>
    public SafetyStep<MaliciousLoadDetector> OperatorReset(DateTimeOffset at, string operatorId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        return new(
            this with { IsHolding = false, Detection = null, Previous = null },
            [AlarmSignal.Clear(AlarmType.MaliciousLoad, Source, at, "Reset by operator.", operatorId)]);
    }

    private static double? ReactiveKvar(LiveSample sample) =>
        sample.TotalReactivePowerKvar
        ?? (sample.TotalApparentPowerKva is { } s
            ? Math.Sqrt(Math.Max(0, (s * s) - (sample.TotalActivePowerKw * sample.TotalActivePowerKw)))
            : null);
}
