using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator;

/// <summary>A meter's cumulative registers (exact, per band) at one instant of generated history.</summary>
public readonly record struct HistoryReading(DateTimeOffset At, MeterEnergy Energy);
