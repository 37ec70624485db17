using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator;

/// <summary>
/// What an operator of the simulation can do: the surface the command line and the (later) HTTP control API call.
/// Unknown serials and impossible settings are refused with an <see cref="ArgumentException"/> naming them.
/// </summary>
public interface ISimulationControl
{
    /// <summary>Simulated now.</summary>
    DateTimeOffset Now { get; }

    /// <summary>Simulated seconds per real second.</summary>
    double Speed { get; }

    void SetSpeed(double speed);

    /// <summary>Live values of every meter (sub-meters first, the incomer last).</summary>
    IReadOnlyList<MeterReading> ReadMeters();

    bool HasMeter(string serial);

    MeterReading ReadMeter(string serial);

    RelayOutcome SetRelay(string serial, RelayCommand command);

    /// <summary>The tenant presses the button of a close-allowed meter. Returns whether the relay closed.</summary>
    bool PressButton(string serial);

    /// <summary>Injects an event written as text (see <see cref="EventSpec"/>).</summary>
    EventId Inject(string spec);

    EventId Inject(EventTarget target, SimulationEvent simulationEvent);

    bool ClearEvent(EventId id);

    IReadOnlyList<ActiveEvent> Events { get; }
}
