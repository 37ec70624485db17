namespace Kilowallet.Simulator.Control;

/// <summary>The id of an injected event (DELETE /events/{id} clears it).</summary>
public sealed record EventCreated(int Id);
