namespace Kilowallet.Simulator.Meters;

/// <summary>
/// A meter's live values at one simulated instant: the meter's own register values (secondary side; the server
/// applies CT/PT ratios). Total active power is the sum of the phases.
/// </summary>
/// <param name="At">Simulated true time of the reading.</param>
/// <param name="MeterTime">The meter's own clock (true time + drift).</param>
/// <param name="Phases">One entry for single-phase meters, three (A, B, C) for three-phase.</param>
/// <param name="Energy">Exact cumulative energy (mWh) per band.</param>
/// <param name="Registers">Energy as the registers show it (resolution, roll-over).</param>
public sealed record MeterReading(
    string Serial,
    string Kind,
    DateTimeOffset At,
    DateTimeOffset MeterTime,
    RelayState Relay,
    MeterAlarms Alarms,
    IReadOnlyList<PhaseReading> Phases,
    double ActivePowerKw,
    double ReactivePowerKvar,
    double PowerFactor,
    double FrequencyHz,
    MeterEnergy Energy,
    EnergyRegisters Registers,
    MeterCommunication Communication);
