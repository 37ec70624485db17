using System.Collections.Immutable;
using System.Globalization;

namespace Kilowallet.Domain.Safety;

/// <summary>
/// Over-voltage, under-voltage and phase-loss alarms of one meter, each with raise/clear hysteresis
/// in value and time. A phase is lost when its voltage is near zero while another phase of a
/// three-phase meter is normal; a lost phase does not also count as under-voltage. When every phase
/// is near zero the supply itself is off and no voltage alarm is raised.
/// </summary>
public sealed record VoltageMonitor
{
    private VoltageMonitor(AlarmSource source) => Source = source;

    public AlarmSource Source { get; }

    public DebouncedCondition OverVoltage { get; private init; }

    public DebouncedCondition UnderVoltage { get; private init; }

    public DebouncedCondition PhaseLoss { get; private init; }

    public static VoltageMonitor Start(AlarmSource source) => new(source);

    public SafetyStep<VoltageMonitor> Observe(LiveSample sample, VoltageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(settings);
        var phases = sample.Phases.Select((p, i) => (Name: "L" + (i + 1).ToString(CultureInfo.InvariantCulture), p.VoltageV)).ToList();
        var live = phases.Where(p => p.VoltageV >= settings.PhaseLossBelowV).ToList();
        var lost = phases.Where(p => p.VoltageV < settings.PhaseLossBelowV).ToList();
        var high = live.Where(p => p.VoltageV > settings.OverV).ToList();
        var low = live.Where(p => p.VoltageV < settings.UnderV).ToList();
        var lossHolds = phases.Count == 3 && lost.Count > 0 && live.Any(p => p.VoltageV >= settings.UnderV);

        var signals = ImmutableArray.CreateBuilder<AlarmSignal>();
        var over = Track(
            OverVoltage, AlarmType.OverVoltage, high.Count > 0, live.All(p => p.VoltageV < settings.OverClearV), high, sample.At, settings, signals);
        var under = Track(
            UnderVoltage, AlarmType.UnderVoltage, low.Count > 0, live.All(p => p.VoltageV > settings.UnderClearV), low, sample.At, settings, signals);
        var loss = Track(PhaseLoss, AlarmType.PhaseLoss, lossHolds, lost.Count == 0, lost, sample.At, settings, signals);
        return new(this with { OverVoltage = over, UnderVoltage = under, PhaseLoss = loss }, signals.ToImmutable());
    }

    private DebouncedCondition Track(
        DebouncedCondition condition,
        AlarmType type,
        bool raiseHolds,
        bool clearHolds,
        List<(string Name, double VoltageV)> offending,
        DateTimeOffset at,
        VoltageSettings settings,
        ImmutableArray<AlarmSignal>.Builder signals)
    {
        var (next, change) = condition.Update(raiseHolds, clearHolds, at, settings.RaiseAfter, settings.ClearAfter);
        if (change == ConditionChange.Raised)
        {
            var detail = string.Join(", ", offending.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.VoltageV:0.0} V")));
            signals.Add(AlarmSignal.Raise(type, Source, at, detail));
        }
        else if (change == ConditionChange.Cleared)
        {
            signals.Add(AlarmSignal.Clear(type, Source, at, "Voltage back to normal."));
        }

        return next;
    }
}
