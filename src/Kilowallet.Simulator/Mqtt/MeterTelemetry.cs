using Kilowallet.Protocols.Mqtt;
using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator.Mqtt;

/// <summary>
/// A 4G meter's telemetry (schema v1, docs/mqtt.md) from one reading: energy registers, per-phase live values at the
/// resolution meters display (0.1 V, 0.001 A, 0.0001 kW, 0.001 PF, 0.01 Hz), the relay, and alarm names; the
/// timestamp is the meter's own clock with the mall's UTC offset.
/// </summary>
internal static class MeterTelemetry
{
    public static TelemetryMessage From(MeterReading reading, bool hasRelay, TimeZoneInfo zone, long sequence) => new()
    {
        Serial = reading.Serial,
        Ts = TimeZoneInfo.ConvertTime(reading.MeterTime, zone),
        Seq = sequence,
        Energy = new TelemetryEnergy(reading.Registers.TotalKwh, reading.Registers.SharpKwh, reading.Registers.PeakKwh, reading.Registers.FlatKwh, reading.Registers.ValleyKwh),
        Phases = [.. reading.Phases.Select(p => new TelemetryPhase(Math.Round(p.VoltageV, 1), Math.Round(p.CurrentA, 3), Math.Round(p.ActivePowerKw, 4), Math.Round(p.PowerFactor, 3)))],
        P = Math.Round(reading.ActivePowerKw, 4),
        Pf = Math.Round(reading.PowerFactor, 3),
        F = Math.Round(reading.FrequencyHz, 2),
        Relay = hasRelay ? RelayText(reading.Relay) : null,
        Alarms = reading.Alarms == MeterAlarms.None ? null : AlarmNames(reading.Alarms),
    };

    public static string RelayText(RelayState relay) => relay == RelayState.Open ? "open" : "closed";

    /// <summary>snake_case names of the set flags, e.g. overload_trip, current_while_relay_open.</summary>
    private static string[] AlarmNames(MeterAlarms alarms) =>
        [.. Enum.GetValues<MeterAlarms>().Where(a => a != MeterAlarms.None && alarms.HasFlag(a)).Select(a => SnakeCase(a.ToString()))];

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));
}
