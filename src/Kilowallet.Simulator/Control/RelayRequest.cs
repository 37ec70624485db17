namespace Kilowallet.Simulator.Control;

/// <summary>POST /meters/{serial}/relay: "open", "closed" (as the kind closes), "close_allowed" or "close_direct".</summary>
public sealed record RelayRequest(string? State);
