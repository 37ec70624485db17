namespace Kilowallet.Simulator.Load;

/// <summary>The load of one business format: its components and its power density (W/m² at peak; 0 = sized by the power limit).</summary>
public sealed record FormatProfile(double WattsPerSquareMetre, IReadOnlyList<LoadComponent> Components);
