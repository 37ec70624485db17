using System.Globalization;

namespace Kilowallet.Simulator.Faults;

/// <summary>Identifies an injected event within one simulated mall, to clear it.</summary>
public readonly record struct EventId(int Value)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
