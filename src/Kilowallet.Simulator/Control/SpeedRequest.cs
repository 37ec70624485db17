namespace Kilowallet.Simulator.Control;

/// <summary>POST /speed: the new speed, greater than zero.</summary>
public sealed record SpeedRequest(double Speed);
