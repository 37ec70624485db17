namespace Kilowallet.Domain.Safety;

/// <summary>Live values of one phase, already scaled by the CT and PT ratios.</summary>
public readonly record struct PhaseSample(double VoltageV, double CurrentA, double ActivePowerKw);
