namespace Kilowallet.Domain.Safety;

/// <summary>What an alarm is about. Its stable text (see <see cref="AlarmCatalog.Code"/>) is kebab-case, e.g. "phase-loss".</summary>
public enum AlarmType
{
    Overload = 0,
    OverloadLockout = 1,
    OverVoltage = 2,
    UnderVoltage = 3,
    PhaseLoss = 4,
    MaliciousLoad = 5,
    Bypass = 6,
    MeterOffline = 7,
    GatewayOffline = 8,
    RelayCommandFailed = 9,

    /// <summary>A cumulative register went backwards (meter replaced or reset); the interval is quarantined.</summary>
    RegisterWentBackwards = 10,

    /// <summary>An implausible jump in a register; the interval is quarantined.</summary>
    ImplausibleConsumption = 11,

    /// <summary>A reading with values no meter can produce (NaN, negative energy, 10 kV …), refused.</summary>
    ImpossibleReading = 12,

    /// <summary>Energy used while no tariff plan covered the meter: not billed until an operator acts.</summary>
    NoTariff = 13,
}
