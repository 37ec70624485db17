namespace Kilowallet.Domain.Safety;

/// <summary>Fixed facts about each <see cref="AlarmType"/>: its code, severity, and whether it clears by itself.</summary>
public static class AlarmCatalog
{
    public static string Code(AlarmType type) => type switch
    {
        AlarmType.Overload => "overload",
        AlarmType.OverloadLockout => "overload-lockout",
        AlarmType.OverVoltage => "over-voltage",
        AlarmType.UnderVoltage => "under-voltage",
        AlarmType.PhaseLoss => "phase-loss",
        AlarmType.MaliciousLoad => "malicious-load",
        AlarmType.Bypass => "bypass",
        AlarmType.MeterOffline => "meter-offline",
        AlarmType.GatewayOffline => "gateway-offline",
        AlarmType.RelayCommandFailed => "relay-command-failed",
        AlarmType.RegisterWentBackwards => "register-went-backwards",
        AlarmType.ImplausibleConsumption => "implausible-consumption",
        AlarmType.ImpossibleReading => "impossible-reading",
        AlarmType.NoTariff => "no-tariff",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown alarm type."),
    };

    public static AlarmSeverity Severity(AlarmType type) => type switch
    {
        AlarmType.OverloadLockout or AlarmType.PhaseLoss or AlarmType.Bypass or AlarmType.GatewayOffline
            or AlarmType.RelayCommandFailed => AlarmSeverity.Critical,
        _ => AlarmSeverity.Warning,
    };

    /// <summary>
    /// Whether a detector's clear signal closes the alarm. The others (lockout, failed relay command,
    /// quarantined registers) stay open until an operator resolves them.
    /// </summary>
    public static bool ClearsAutomatically(AlarmType type) =>
        type is not (AlarmType.OverloadLockout or AlarmType.RelayCommandFailed
            or AlarmType.RegisterWentBackwards or AlarmType.ImplausibleConsumption or AlarmType.ImpossibleReading or AlarmType.NoTariff);
}
