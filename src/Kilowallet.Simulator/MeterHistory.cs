namespace Kilowallet.Simulator;

/// <summary>Generated history of one meter: cumulative readings at each interval boundary, oldest first.</summary>
public sealed record MeterHistory(string Serial, IReadOnlyList<HistoryReading> Readings);
