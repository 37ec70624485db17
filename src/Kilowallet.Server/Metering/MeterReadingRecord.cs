using Kilowallet.Domain;

namespace Kilowallet.Server.Metering;

/// <summary>
/// A stored energy reading: the meter's cumulative registers (whole Wh, as the meter holds them,
/// before CT/PT) and a snapshot of its live values. One row per (meter, instant): a duplicate
/// (an MQTT redelivery, a retried poll) is stored once.
/// </summary>
public sealed class MeterReadingRecord
{
    public MeterId MeterId { get; set; }

    public DateTimeOffset At { get; set; }

    public long EnergyWh { get; set; }

    public long? SharpWh { get; set; }

    public long? PeakWh { get; set; }

    public long? FlatWh { get; set; }

    public long? ValleyWh { get; set; }

    public double? VoltageA { get; set; }

    public double? VoltageB { get; set; }

    public double? VoltageC { get; set; }

    public double? CurrentA { get; set; }

    public double? CurrentB { get; set; }

    public double? CurrentC { get; set; }

    public double? PowerKw { get; set; }

    public double? PowerFactor { get; set; }

    public double? FrequencyHz { get; set; }

    public RelayReport Relay { get; set; }

    public int Flags { get; set; }

    public SampleSource Source { get; set; }
}
