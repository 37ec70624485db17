namespace Kilowallet.Simulator.Faults;

/// <summary>An injected event as the mall keeps it: what, where, and when (simulated time; <paramref name="EndsAt"/> null until cleared).</summary>
public sealed record ActiveEvent(EventId Id, EventTarget Target, SimulationEvent Event, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, IReadOnlyList<string> MeterSerials);
