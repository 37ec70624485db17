namespace Kilowallet.Simulator.Control;

/// <summary>Whether pressing the meter's button closed its relay, and the relay afterwards.</summary>
public sealed record ButtonResult(bool Closed, string Relay);
