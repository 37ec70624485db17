namespace Kilowallet.Simulator.Control;

/// <summary>POST /events: an event written as on the command line, e.g. "malicious:unit=3,kw=2".</summary>
public sealed record EventRequest(string? Spec);
