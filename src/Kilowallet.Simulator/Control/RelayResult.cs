namespace Kilowallet.Simulator.Control;

/// <summary>What a relay command did: "done", "awaiting_button" or "no_relay"; and the relay afterwards.</summary>
public sealed record RelayResult(string Outcome, string Relay);
