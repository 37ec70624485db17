using System.Globalization;
using Kilowallet.Domain.Control;

namespace Kilowallet.Domain.Safety;

/// <summary>
/// Relay integrity of one meter: current or power flowing while the relay is reported open, or
/// commanded open (the command verified), means the relay is bypassed or tampered with.
/// </summary>
public sealed record BypassDetector
{
    private BypassDetector(AlarmSource source) => Source = source;

    public AlarmSource Source { get; }

    public DebouncedCondition Condition { get; private init; }

    public static BypassDetector Start(AlarmSource source) => new(source);

    /// <param name="sample">The live values, including the relay state the meter reports.</param>
    /// <param name="commanded">The state the relay was last verified to be commanded into; null if unknown.</param>
    /// <param name="settings">Tolerances and durations.</param>
    public SafetyStep<BypassDetector> Observe(LiveSample sample, RelayState? commanded, BypassSettings settings)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(settings);
        var shouldBeOpen = commanded == RelayState.Open || sample.ReportedRelay == RelayState.Open;
        var flowing = sample.MaxCurrentA > settings.CurrentToleranceA || Math.Abs(sample.TotalActivePowerKw) > settings.PowerToleranceKw;
        var suspicious = shouldBeOpen && flowing;
        var (next, change) = Condition.Update(suspicious, !suspicious, sample.At, settings.RaiseAfter, settings.ClearAfter);
        var state = this with { Condition = next };
        return change switch
        {
            ConditionChange.Raised => new(state, [AlarmSignal.Raise(
                AlarmType.Bypass,
                Source,
                sample.At,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{sample.MaxCurrentA:0.00} A / {sample.TotalActivePowerKw:0.00} kW flowing while the relay should be open (reported {sample.ReportedRelay?.ToString() ?? "unknown"}, commanded {commanded?.ToString() ?? "unknown"})."))]),
            ConditionChange.Cleared => new(state, [AlarmSignal.Clear(AlarmType.Bypass, Source, sample.At, "No current with the relay open.")]),
            _ => new(state, []),
        };
    }
}
