using Kilowallet.Protocols.Profiles;
using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator.Wire;

/// <summary>
/// The value a virtual meter shows for each profile quantity, in the quantity's unit (kWh, V, A, kW, Hz): energy from
/// its registers (resolution and roll-over of the kind), live values as measured, alarm flags as the
/// <see cref="MeterAlarms"/> bits. A phase the meter does not have reads 0.
/// </summary>
internal static class ReadingValues
{
    public static decimal Energy(MeterReading reading, MeterQuantity quantity) => quantity switch
    {
        MeterQuantity.EnergyTotal => reading.Registers.TotalKwh,
        MeterQuantity.EnergySharp => reading.Registers.SharpKwh,
        MeterQuantity.EnergyPeak => reading.Registers.PeakKwh,
        MeterQuantity.EnergyFlat => reading.Registers.FlatKwh,
        MeterQuantity.EnergyValley => reading.Registers.ValleyKwh,
        _ => throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "Not an energy quantity."),
    };

    public static double Live(MeterReading reading, MeterQuantity quantity) => quantity switch
    {
        MeterQuantity.VoltageA => Phase(reading, 0).VoltageV,
        MeterQuantity.VoltageB => Phase(reading, 1).VoltageV,
        MeterQuantity.VoltageC => Phase(reading, 2).VoltageV,
        MeterQuantity.CurrentA => Phase(reading, 0).CurrentA,
        MeterQuantity.CurrentB => Phase(reading, 1).CurrentA,
        MeterQuantity.CurrentC => Phase(reading, 2).CurrentA,
        MeterQuantity.PowerTotal => reading.ActivePowerKw,
        MeterQuantity.PowerA => Phase(reading, 0).ActivePowerKw,
        MeterQuantity.PowerB => Phase(reading, 1).ActivePowerKw,
        MeterQuantity.PowerC => Phase(reading, 2).ActivePowerKw,
        MeterQuantity.PowerFactor => reading.PowerFactor,
        MeterQuantity.PowerFactorA => Phase(reading, 0).PowerFactor,
        MeterQuantity.PowerFactorB => Phase(reading, 1).PowerFactor,
        MeterQuantity.PowerFactorC => Phase(reading, 2).PowerFactor,
        MeterQuantity.Frequency => reading.FrequencyHz,
        MeterQuantity.AlarmFlags => (int)reading.Alarms,
        _ => throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "Not a live quantity."),
    };

    private static PhaseReading Phase(MeterReading reading, int index) => index < reading.Phases.Count ? reading.Phases[index] : default;
}
