namespace Kilowallet.Protocols.Mqtt;

/// <summary>Forward active energy registers, kWh.</summary>
public sealed record TelemetryEnergy(decimal Total, decimal? Sharp = null, decimal? Peak = null, decimal? Flat = null, decimal? Valley = null);
