using Kilowallet.Simulator.Faults;

namespace Kilowallet.Simulator.Control;

/// <summary>An injected event: its id (to clear it), kind, target, simulated start and end, and the meters it touches.</summary>
public sealed record EventView(int Id, string Kind, string Target, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, IReadOnlyList<string> Meters)
{
    public static EventView From(ActiveEvent active)
    {
        ArgumentNullException.ThrowIfNull(active);
        return new EventView(active.Id.Value, EventSpec.NameOf(active.Event.Kind), active.Target.ToString(), active.StartsAt, active.EndsAt, active.MeterSerials);
    }
}
