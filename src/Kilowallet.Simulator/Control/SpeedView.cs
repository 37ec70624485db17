namespace Kilowallet.Simulator.Control;

/// <summary>The simulation's speed (simulated seconds per real second) and simulated now.</summary>
public sealed record SpeedView(double Speed, DateTimeOffset Now);
