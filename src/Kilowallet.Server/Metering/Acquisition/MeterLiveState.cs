using Kilowallet.Domain;
using Kilowallet.Domain.Safety;

namespace Kilowallet.Server.Metering.Acquisition;

/// <summary>The latest known state of a meter: live values, relay, link status, last energy reading.</summary>
public sealed record MeterLiveState(
    MeterId Meter,
    DateTimeOffset? At,
    LiveValues Live,
    RelayReport Relay,
    uint AlarmFlags,
    LinkStatus Link,
    DateTimeOffset? LastHeardAt,
    string? LastFailure,
    long? EnergyWh,
    DateTimeOffset? EnergyAt)
{
    public static MeterLiveState Unknown(MeterId meter) => new(meter, null, LiveValues.Empty, RelayReport.Unknown, 0, LinkStatus.Unknown, null, null, null, null);
}
