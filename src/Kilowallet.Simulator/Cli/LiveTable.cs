using System.Globalization;
using System.Text;
using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator.Cli;

/// <summary>Renders the live values of a mall's meters as a text table.</summary>
public static class LiveTable
{
    public static string Render(SimulatedMall mall, IReadOnlyList<MeterReading> readings, double speed)
    {
        ArgumentNullException.ThrowIfNull(mall);
        ArgumentNullException.ThrowIfNull(readings);
        var c = CultureInfo.InvariantCulture;
        var local = TimeZoneInfo.ConvertTime(mall.Now, mall.Calendar.Zone);
        var text = new StringBuilder();
        text.Append(c, $"{local:yyyy-MM-dd HH:mm:ss zzz} ({mall.Calendar.Zone.Id}, {local.DayOfWeek}), speed ×{speed:0.###}, {readings.Count} meters, {mall.Events.Count} events").AppendLine();
        text.AppendLine("serial          unit  format        relay   P kW     V       I A      PF     energy kWh   alarms");
        foreach (var r in readings)
        {
            var meter = mall.FindSerial(r.Serial)!;
            var unit = meter.UnitId?.ToString(c) ?? meter.Dlt645Address?[^4..] ?? "-";
            var volts = r.Phases.Average(p => p.VoltageV);
            var amps = r.Phases.Sum(p => p.CurrentA);
            var relay = meter.Kind.HasRelay ? r.Relay.ToString().ToLowerInvariant() : "-";
            var flags = r.Alarms == MeterAlarms.None ? string.Empty : r.Alarms.ToString();
            if (r.Communication.Silent)
            {
                flags = (flags + " offline").Trim();
            }

            text.Append(c, $"{r.Serial,-15} {unit,4}  {Load.LoadFormats.NameOf(meter.Definition.Format),-12}  {relay,-6} {r.ActivePowerKw,7:0.000}  {volts,6:0.0}  {amps,7:0.00}  {r.PowerFactor,5:0.00}  {r.Registers.TotalKwh,11:0.00}   {flags}")
                .AppendLine();
        }

        return text.ToString();
    }
}
