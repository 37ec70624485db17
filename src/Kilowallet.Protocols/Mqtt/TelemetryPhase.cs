namespace Kilowallet.Protocols.Mqtt;

/// <summary>One phase: V, A, kW, power factor.</summary>
public sealed record TelemetryPhase(double? V = null, double? I = null, double? P = null, double? Pf = null);
