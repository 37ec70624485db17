namespace Kilowallet.Simulator.Control;

/// <summary>Energy registers as the meter shows them, kWh.</summary>
public sealed record EnergyView(decimal TotalKwh, decimal SharpKwh, decimal PeakKwh, decimal FlatKwh, decimal ValleyKwh);
