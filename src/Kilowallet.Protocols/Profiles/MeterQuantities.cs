using System.Diagnostics.CodeAnalysis;

namespace Kilowallet.Protocols.Profiles;

/// <summary>Names, units and kinds of <see cref="MeterQuantity"/> values.</summary>
public static class MeterQuantities
{
    private static readonly (MeterQuantity Quantity, string Name, string Unit)[] Table =
    [
        (MeterQuantity.EnergyTotal, "energy_total", "kWh"),
        (MeterQuantity.EnergySharp, "energy_sharp", "kWh"),
        (MeterQuantity.EnergyPeak, "energy_peak", "kWh"),
        (MeterQuantity.EnergyFlat, "energy_flat", "kWh"),
        (MeterQuantity.EnergyValley, "energy_valley", "kWh"),
        (MeterQuantity.VoltageA, "voltage_a", "V"),
        (MeterQuantity.VoltageB, "voltage_b", "V"),
        (MeterQuantity.VoltageC, "voltage_c", "V"),
        (MeterQuantity.CurrentA, "current_a", "A"),
        (MeterQuantity.CurrentB, "current_b", "A"),
        (MeterQuantity.CurrentC, "current_c", "A"),
        (MeterQuantity.PowerTotal, "power_total", "kW"),
        (MeterQuantity.PowerA, "power_a", "kW"),
        (MeterQuantity.PowerB, "power_b", "kW"),
        (MeterQuantity.PowerC, "power_c", "kW"),
        (MeterQuantity.PowerFactor, "power_factor", string.Empty),
        (MeterQuantity.PowerFactorA, "power_factor_a", string.Empty),
        (MeterQuantity.PowerFactorB, "power_factor_b", string.Empty),
        (MeterQuantity.PowerFactorC, "power_factor_c", string.Empty),
        (MeterQuantity.Frequency, "frequency", "Hz"),
        (MeterQuantity.AlarmFlags, "alarm_flags", string.Empty),
        (MeterQuantity.RelayState, "relay_state", string.Empty),
    ];

    public static string Name(MeterQuantity quantity) => Table[(int)quantity].Name;

    public static string Unit(MeterQuantity quantity) => Table[(int)quantity].Unit;

    public static bool TryParse([NotNullWhen(true)] string? name, out MeterQuantity quantity)
    {
        foreach (var entry in Table)
        {
            if (string.Equals(entry.Name, name, StringComparison.Ordinal))
            {
                quantity = entry.Quantity;
                return true;
            }
        }

        quantity = default;
        return false;
    }

    public static bool IsEnergy(MeterQuantity quantity) => quantity is >= MeterQuantity.EnergyTotal and <= MeterQuantity.EnergyValley;

    /// <summary>Quantities of phases B and C, which a single-phase profile must not map.</summary>
    public static bool IsPhaseBOrC(MeterQuantity quantity) => quantity is MeterQuantity.VoltageB or MeterQuantity.VoltageC
        or MeterQuantity.CurrentB or MeterQuantity.CurrentC or MeterQuantity.PowerB or MeterQuantity.PowerC
        or MeterQuantity.PowerFactorB or MeterQuantity.PowerFactorC;
}
