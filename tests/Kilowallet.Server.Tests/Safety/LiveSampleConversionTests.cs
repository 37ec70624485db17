using Kilowallet.Domain;
using Kilowallet.Domain.Control;
using MeterProfileCatalog = Kilowallet.Protocols.Profiles.MeterProfileCatalog;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Safety;

namespace Kilowallet.Server.Tests.Safety;

/// <summary>Live values are read on the secondary side; the detectors compare primary-side values with the shop's limits.</summary>
public sealed class LiveSampleConversionTests
{
    private static readonly MeterProfileCatalog Profiles = MeterProfileCatalog.LoadOrThrow();

    private static MeterContext Meter(string profile, decimal ct, decimal pt) => new(
        new MeterId(1), new SiteId(1), "M1", Profiles.Get(profile), new GatewayId(1), 1, null, null, new AccountId(1), new ShopId(1),
        MeterPurpose.Tenant, MeterStatus.Active, ct, pt, 100m, false);

    [Fact]
    public void Currents_scale_by_the_CT_voltages_by_the_PT_and_powers_by_both()
    {
        var at = new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero);
        var sample = new MeterSample(new MeterId(1), at, SampleSource.Poll, null, null, new LiveValues(100, null, null, 5, null, null, 0.475, null, null, 0.475, 0.95, 50), RelayReport.Open, 0);

        var live = LiveSampleConversion.ToLiveSample(sample, Meter("kpm31", 40m, 2m))!;

        var phase = Assert.Single(live.Phases);
        Assert.Equal(200, phase.VoltageV, 6);
        Assert.Equal(200, phase.CurrentA, 6);
        Assert.Equal(38, phase.ActivePowerKw, 6);
        Assert.Equal(38, live.TotalActivePowerKw, 6);
        Assert.Equal(40, live.TotalApparentPowerKva!.Value, 6);
        Assert.Equal(RelayState.Open, live.ReportedRelay);
        Assert.Equal(at, live.At);
    }

    [Fact]
    public void A_three_phase_meter_gives_three_phases_and_a_sample_without_live_values_gives_none()
    {
        var at = new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero);
        var three = new MeterSample(new MeterId(1), at, SampleSource.Poll, null, null, new LiveValues(230, 231, 0, 10, 11, 0, 2.2, 2.4, 0, null, 0.9, 50), RelayReport.Closed, 0);
        var live = LiveSampleConversion.ToLiveSample(three, Meter("kpm33", 1m, 1m))!;
        Assert.Equal([230d, 231d, 0d], live.Phases.Select(p => p.VoltageV));
        Assert.Equal(4.6, live.TotalActivePowerKw, 6);

        var energyOnly = three with { Live = LiveValues.Empty };
        Assert.Null(LiveSampleConversion.ToLiveSample(energyOnly, Meter("kpm33", 1m, 1m)));
    }
}
