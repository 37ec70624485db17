namespace Kilowallet.Protocols.Profiles;

/// <summary>What a meter measures, as named in profile files (snake_case: energy_total, voltage_a, …).</summary>
public enum MeterQuantity
{
    /// <summary>Forward active energy, total, kWh.</summary>
    EnergyTotal,
    EnergySharp,
    EnergyPeak,
    EnergyFlat,
    EnergyValley,

    /// <summary>Phase voltage, V.</summary>
    VoltageA,
    VoltageB,
    VoltageC,

    /// <summary>Phase current, A.</summary>
    CurrentA,
    CurrentB,
    CurrentC,

    /// <summary>Active power, kW.</summary>
    PowerTotal,
    PowerA,
    PowerB,
    PowerC,

    /// <summary>Power factor, unitless (−1..1).</summary>
    PowerFactor,
    PowerFactorA,
    PowerFactorB,
    PowerFactorC,

    /// <summary>Hz.</summary>
    Frequency,

    /// <summary>Vendor alarm bits (integer register).</summary>
    AlarmFlags,

    /// <summary>Relay closed/open (profiles map it in their relay_state section).</summary>
    RelayState,
}
