using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;

namespace Kilowallet.Server.Metering;

/// <summary>
/// One observation of a meter, from a poll or an MQTT message. With <see cref="EnergyWh"/> it is an
/// energy reading (stored, rated and billed exactly once); without, live values only. Register values
/// are the meter's own, in whole watt-hours, before CT/PT ratios.
/// </summary>
public sealed record MeterSample(
    MeterId Meter,
    DateTimeOffset At,
    SampleSource Source,
    long? EnergyWh,
    BandEnergyWh? BandsWh,
    LiveValues Live,
    RelayReport Relay,
    uint AlarmFlags)
{
    public bool IsEnergyReading => EnergyWh is not null;
}
