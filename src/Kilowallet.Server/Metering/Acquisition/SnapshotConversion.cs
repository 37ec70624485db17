using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;

namespace Kilowallet.Server.Metering.Acquisition;

/// <summary>Turns what a protocol decoded (kWh registers, live values) into a <see cref="MeterSample"/> in whole Wh.</summary>
public static class SnapshotConversion
{
    public static MeterSample ToSample(MeterId meter, MeterSnapshot snapshot, DateTimeOffset at, SampleSource source, bool energy)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var total = snapshot.EnergyTotalKwh;
        BandEnergyWh? bands = snapshot.EnergySharpKwh is { } s && snapshot.EnergyPeakKwh is { } p && snapshot.EnergyFlatKwh is { } f && snapshot.EnergyValleyKwh is { } v
            ? new BandEnergyWh(Wh(s), Wh(p), Wh(f), Wh(v))
            : null;
        var live = new LiveValues(
            snapshot.VoltageA, snapshot.VoltageB, snapshot.VoltageC,
            snapshot.CurrentA, snapshot.CurrentB, snapshot.CurrentC,
            snapshot.PowerAKw, snapshot.PowerBKw, snapshot.PowerCKw,
            snapshot.PowerTotalKw ?? Sum(snapshot.PowerAKw, snapshot.PowerBKw, snapshot.PowerCKw),
            snapshot.PowerFactor ?? snapshot.PowerFactorA,
            snapshot.FrequencyHz);
        return new MeterSample(
            meter, at, source,
            energy && total is { } kwh ? Wh(kwh) : null,
            energy ? bands : null,
            live,
            ToRelay(snapshot.Relay),
            snapshot.AlarmFlags ?? 0);
    }

    public static RelayReport ToRelay(RelayState state) => state switch
    {
        RelayState.Closed => RelayReport.Closed,
        RelayState.Open => RelayReport.Open,
        _ => RelayReport.Unknown,
    };

    /// <summary>kWh (already rounded to 0.001 at the protocol edge) to whole watt-hours.</summary>
    public static long Wh(decimal kwh) => decimal.ToInt64(decimal.Round(kwh * EnergyKwh.WattHoursPerKwh, 0, MidpointRounding.ToZero));

    private static double? Sum(double? a, double? b, double? c) => a is null && b is null && c is null ? null : (a ?? 0) + (b ?? 0) + (c ?? 0);
}
