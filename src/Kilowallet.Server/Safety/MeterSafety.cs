using Kilowallet.Domain.Control;
using Kilowallet.Domain.Safety;

namespace Kilowallet.Server.Safety;

/// <summary>
/// The detectors of one meter and the hold restored from storage (a lockout or a forbidden-appliance trip
/// outlives a restart). Guarded by <see cref="Gate"/>: the monitor's loop and an operator's reset both change it.
/// </summary>
public sealed class MeterSafety(AlarmSource source)
{
    public Lock Gate { get; } = new();

    public OverloadProtection Overload { get; set; } = OverloadProtection.Start(source);

    public VoltageMonitor Voltage { get; set; } = VoltageMonitor.Start(source);

    public MaliciousLoadDetector Malicious { get; set; } = MaliciousLoadDetector.Start(source);

    public BypassDetector Bypass { get; set; } = BypassDetector.Start(source);

    /// <summary>The relay state the meter last reported (stored in meter_control when it changes).</summary>
    public Metering.RelayReport LastRelay { get; set; }

    /// <summary>A hold persisted by a previous run, kept until an operator resets it.</summary>
    public SafetyHold Restored { get; set; }

    public SafetyHold Hold => SafetyHolds.MostSevere(Overload.Hold, Malicious.Hold, Restored);
}
