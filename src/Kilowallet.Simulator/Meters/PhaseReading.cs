namespace Kilowallet.Simulator.Meters;

/// <summary>Live values of one phase, as the meter measures them (secondary side). P = V · I · PF.</summary>
public readonly record struct PhaseReading(double VoltageV, double CurrentA, double ActivePowerKw, double PowerFactor)
{
    public double ReactivePowerKvar => PowerFactor >= 1 ? 0 : ActivePowerKw * Math.Tan(Math.Acos(PowerFactor));

    public double ApparentPowerKva => VoltageV * CurrentA / 1000.0;
}
