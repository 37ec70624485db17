using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator.Control;

/// <summary>A meter's live values as the control API shows them (the meter's own values, secondary side).</summary>
/// <param name="Relay">"closed" or "open".</param>
/// <param name="Alarms">Names of the alarm flags set (OverloadTrip, UnderVoltage, …).</param>
/// <param name="Offline">The meter (or its bus) does not answer.</param>
public sealed record MeterView(
    string Serial,
    string Kind,
    DateTimeOffset At,
    DateTimeOffset MeterTime,
    string Relay,
    IReadOnlyList<string> Alarms,
    IReadOnlyList<PhaseView> Phases,
    double ActivePowerKw,
    double ReactivePowerKvar,
    double PowerFactor,
    double FrequencyHz,
    EnergyView Energy,
    bool Offline)
{
    public static MeterView From(MeterReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var registers = reading.Registers;
        return new MeterView(
            reading.Serial,
            reading.Kind,
            reading.At,
            reading.MeterTime,
            reading.Relay == RelayState.Open ? "open" : "closed",
            [.. Enum.GetValues<MeterAlarms>().Where(a => a != MeterAlarms.None && reading.Alarms.HasFlag(a)).Select(a => a.ToString())],
            [.. reading.Phases.Select(p => new PhaseView(p.VoltageV, p.CurrentA, p.ActivePowerKw, p.PowerFactor))],
            reading.ActivePowerKw,
            reading.ReactivePowerKvar,
            reading.PowerFactor,
            reading.FrequencyHz,
            new EnergyView(registers.TotalKwh, registers.SharpKwh, registers.PeakKwh, registers.FlatKwh, registers.ValleyKwh),
            reading.Communication.Silent);
    }
}
