namespace Kilowallet.Simulator.Faults;

/// <summary>An event as one meter or gateway holds it: its window in UTC ticks [start, end).</summary>
internal sealed class ScheduledFault(EventId id, SimulationEvent simulationEvent, long startTicks, long endTicks)
{
    public EventId Id { get; } = id;

    public SimulationEvent Event { get; } = simulationEvent;

    public long StartTicks { get; } = startTicks;

    public long EndTicks { get; } = endTicks;

    public bool Started { get; set; }

    public bool IsActiveAt(long ticks) => ticks >= StartTicks && ticks < EndTicks;
}
