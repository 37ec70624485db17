using Kilowallet.Domain.Safety;

namespace Kilowallet.Server.Safety;

/// <summary>
/// Configuration section "Safety": the live-value detectors and offline supervision. Each detector's
/// settings bind from its own subsection (Safety:Overload:PickupDelay = "00:00:30", …) with the domain's
/// defaults. Per meter, the shop's power limit and appliance policy and the meter's CT/PT ratios are applied.
/// </summary>
public sealed record SafetyOptions
{
    public const string Section = "Safety";

    /// <summary>Run the safety monitor (off: a node that only serves the API).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Pickup delay, reclose delay, recloses before lockout and their window. The power limit comes from the shop.</summary>
    public OverloadSettings Overload { get; init; } = new();

    /// <summary>A per-phase current limit (primary side) for every meter; null: power only.</summary>
    public double? PhaseCurrentLimitA { get; init; }

    /// <summary>Voltage limits on the secondary side of the meter (scaled by its PT ratio).</summary>
    public VoltageSettings Voltage { get; init; } = new();

    /// <summary>Resistive step detection. Whether a detection trips comes from the shop's appliance policy.</summary>
    public MaliciousLoadSettings MaliciousLoad { get; init; } = new();

    public BypassSettings Bypass { get; init; } = new();

    /// <summary>How often detectors waiting on time (an overload's reclose) are advanced.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often meter and gateway offline alarms are brought in line with the link states.</summary>
    public TimeSpan OfflineCheckInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A 4G (MQTT) meter silent this long is offline (polled meters go offline after failed polls).</summary>
    public TimeSpan MqttSilenceToOffline { get; init; } = TimeSpan.FromMinutes(5);
}
