using Kilowallet.Domain.Control;

namespace Kilowallet.Domain.Safety;

/// <summary>
/// One reading of a meter's live values at <see cref="At"/>. These are measurements compared with
/// thresholds, not money or billed energy, so they are binary floating point. Optional quantities
/// are null when the meter's profile does not provide them.
/// </summary>
public sealed record LiveSample
{
    public required DateTimeOffset At { get; init; }

    /// <summary>One entry per phase: one for a single-phase meter, three for a three-phase one.</summary>
    public required IReadOnlyList<PhaseSample> Phases { get; init; }

    public required double TotalActivePowerKw { get; init; }

    /// <summary>Signed total reactive power (positive inductive).</summary>
    public double? TotalReactivePowerKvar { get; init; }

    public double? TotalApparentPowerKva { get; init; }

    public double? PowerFactor { get; init; }

    public RelayState? ReportedRelay { get; init; }

    public double MaxCurrentA => Phases.Count == 0 ? 0 : Phases.Max(p => p.CurrentA);
}
