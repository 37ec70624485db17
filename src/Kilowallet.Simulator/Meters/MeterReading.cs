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
    MeterCommunication Communication)
{
    /// <summary>
    /// Line-to-line voltage between two phases (0 = A, 1 = B, 2 = C) of a three-phase meter, the phases being
    /// 120° apart: √(Va² + Vb² + Va·Vb) (400 V for 230 V phases; a lost phase leaves the other's voltage).
    /// </summary>
    public double LineToLineVoltageV(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(from, Phases.Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(to, Phases.Count);
        var a = Phases[from].VoltageV;
        var b = Phases[to].VoltageV;
        return Math.Round(Math.Sqrt((a * a) + (b * b) + (a * b)), 1);
    }

    /// <summary>Total apparent power, kVA (sum of the phases' V·I).</summary>
    public double ApparentPowerKva => Phases.Sum(p => p.ApparentPowerKva);
}
