using Kilowallet.Domain.Control;
using Kilowallet.Domain.Safety;
using Kilowallet.Server.Metering;

namespace Kilowallet.Server.Safety;

/// <summary>
/// Turns a meter's live values (secondary side, as read) into the <see cref="LiveSample"/> the detectors
/// compare with limits: currents × CT, voltages × PT, powers × CT × PT. The apparent power is derived from
/// the active power and the power factor, so the resistive-step check can work out the step's own power factor.
/// </summary>
public static class LiveSampleConversion
{
    /// <summary>The primary-side sample; null when the sample carries no live values.</summary>
    public static LiveSample? ToLiveSample(MeterSample sample, MeterContext meter)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(meter);
        var v = sample.Live;
        if (v.PowerKw is null && v.CurrentA is null && v.VoltageA is null)
        {
            return null;
        }

        var ct = (double)meter.CtRatio;
        var pt = (double)meter.PtRatio;
        var phases = new List<PhaseSample>(3);
        Add(phases, v.VoltageA, v.CurrentA, v.PowerA, ct, pt);
        if (meter.Profile.Phases == 3)
        {
            Add(phases, v.VoltageB, v.CurrentB, v.PowerB, ct, pt);
            Add(phases, v.VoltageC, v.CurrentC, v.PowerC, ct, pt);
        }

        var total = (v.PowerKw ?? ((v.PowerA ?? 0) + (v.PowerB ?? 0) + (v.PowerC ?? 0))) * ct * pt;
        var powerFactor = v.PowerFactor;
        return new LiveSample
        {
            At = sample.At,
            Phases = phases,
            TotalActivePowerKw = total,
            TotalApparentPowerKva = powerFactor is { } pf && Math.Abs(pf) >= 0.01 ? Math.Abs(total) / Math.Abs(pf) : null,
            PowerFactor = powerFactor,
            ReportedRelay = sample.Relay switch
            {
                RelayReport.Open => RelayState.Open,
                RelayReport.Closed => RelayState.Closed,
                _ => null,
            },
        };
    }

    private static void Add(List<PhaseSample> phases, double? voltage, double? current, double? power, double ct, double pt)
    {
        if (voltage is { } volts)
        {
            phases.Add(new PhaseSample(volts * pt, (current ?? 0) * ct, (power ?? 0) * ct * pt));
        }
    }
}
