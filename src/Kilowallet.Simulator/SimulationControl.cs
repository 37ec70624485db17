using Kilowallet.Simulator.Clock;
using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator;

/// <summary>Controls a simulated mall (and its clock, when it runs on a <see cref="SimulationClock"/>).</summary>
public sealed class SimulationControl(SimulatedMall mall, SimulationClock? clock = null) : ISimulationControl
{
    public SimulatedMall Mall { get; } = mall ?? throw new ArgumentNullException(nameof(mall));

    public DateTimeOffset Now => Mall.Now;

    public double Speed => clock?.Speed ?? 1.0;

    public IReadOnlyList<ActiveEvent> Events => Mall.Events;

    public void SetSpeed(double speed)
    {
        if (clock is null)
        {
            throw new InvalidOperationException("This simulation runs on a clock whose speed cannot be changed.");
        }

        clock.SetSpeed(speed);
    }

    public IReadOnlyList<MeterReading> ReadMeters()
    {
        var readings = new MeterReading[Mall.Meters.Count];
        for (var i = 0; i < readings.Length; i++)
        {
            if (Mall.Meters[i] != Mall.Incomer)
            {
                readings[i] = Mall.Meters[i].Read();
            }
        }

        for (var i = 0; i < readings.Length; i++)
        {
            readings[i] ??= Mall.Meters[i].Read();
        }

        return readings;
    }

    public bool HasMeter(string serial) => Mall.FindSerial(serial) is not null;

    public MeterReading ReadMeter(string serial) => Meter(serial).Read();

    public RelayOutcome SetRelay(string serial, RelayCommand command) => Meter(serial).ApplyRelayCommand(command);

    public bool PressButton(string serial) => Meter(serial).PressButton();

    public EventId Inject(string spec)
    {
        var defaultGateway = Mall.Gateways.Count == 1 ? Mall.Gateways[0].Name : null;
        var (target, simulationEvent) = EventSpec.Parse(spec, defaultGateway);
        return Mall.Inject(target, simulationEvent);
    }

    public EventId Inject(EventTarget target, SimulationEvent simulationEvent) => Mall.Inject(target, simulationEvent);

    public bool ClearEvent(EventId id) => Mall.Clear(id);

    private VirtualMeter Meter(string serial)
    {
        ArgumentNullException.ThrowIfNull(serial);
        return Mall.FindSerial(serial) ?? throw new ArgumentException($"No meter has the serial '{serial}'.", nameof(serial));
    }
}
