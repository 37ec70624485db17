namespace Kilowallet.Simulator.Control;

/// <summary>One phase's live values.</summary>
public sealed record PhaseView(double VoltageV, double CurrentA, double ActivePowerKw, double PowerFactor);
