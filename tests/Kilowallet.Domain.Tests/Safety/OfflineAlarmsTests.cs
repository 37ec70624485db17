using Kilowallet.Domain.Safety;
using static Kilowallet.Domain.Tests.Safety.Samples;

namespace Kilowallet.Domain.Tests.Safety;

public sealed class OfflineAlarmsTests
{
    private static readonly GatewayId Gateway1 = GatewayId.From(1);

    private static List<MeterLink> MetersBehind(GatewayId gateway, LinkStatus status, int count) =>
        [.. Enumerable.Range(1, count).Select(i => new MeterLink(MeterId.From(i), gateway, status))];

    [Fact]
    public void A_dead_gateway_is_one_alarm_not_one_per_meter()
    {
        var expected = OfflineAlarms.Expected(
            new Dictionary<GatewayId, LinkStatus> { [Gateway1] = LinkStatus.Offline },
            MetersBehind(Gateway1, LinkStatus.Offline, 32));

        Assert.Equal(new AlarmKey(AlarmType.GatewayOffline, AlarmSource.Gateway(Gateway1)), Assert.Single(expected));
    }

    [Fact]
    public void An_offline_meter_behind_a_working_gateway_has_its_own_alarm()
    {
        var meters = MetersBehind(Gateway1, LinkStatus.Online, 3);
        meters[1] = meters[1] with { Status = LinkStatus.Offline };

        var expected = OfflineAlarms.Expected(new Dictionary<GatewayId, LinkStatus> { [Gateway1] = LinkStatus.Online }, meters);

        Assert.Equal(new AlarmKey(AlarmType.MeterOffline, AlarmSource.Meter(MeterId.From(2))), Assert.Single(expected));
    }

    [Fact]
    public void A_4g_meter_without_a_gateway_has_its_own_alarm() =>
        Assert.Single(OfflineAlarms.Expected(
            new Dictionary<GatewayId, LinkStatus>(), [new MeterLink(MeterId.From(9), null, LinkStatus.Offline)]));

    [Fact]
    public void When_the_gateway_dies_its_meters_alarms_are_replaced_by_the_gateways()
    {
        var openMeterAlarm = new AlarmKey(AlarmType.MeterOffline, AlarmSource.Meter(MeterId.From(2)));
        var unrelated = new AlarmKey(AlarmType.Overload, AlarmSource.Meter(MeterId.From(2)));

        var signals = OfflineAlarms.Reconcile(
            new Dictionary<GatewayId, LinkStatus> { [Gateway1] = LinkStatus.Offline },
            MetersBehind(Gateway1, LinkStatus.Offline, 32),
            [openMeterAlarm, unrelated],
            T0);

        Assert.Equal(
            [(AlarmSignalKind.Raise, AlarmType.GatewayOffline), (AlarmSignalKind.Clear, AlarmType.MeterOffline)],
            signals.Select(s => (s.Kind, s.Key.Type)));
    }

    [Fact]
    public void When_the_gateway_comes_back_meters_still_silent_get_their_own_alarms()
    {
        var meters = MetersBehind(Gateway1, LinkStatus.Online, 4);
        meters[3] = meters[3] with { Status = LinkStatus.Offline };

        var signals = OfflineAlarms.Reconcile(
            new Dictionary<GatewayId, LinkStatus> { [Gateway1] = LinkStatus.Online },
            meters,
            [new AlarmKey(AlarmType.GatewayOffline, AlarmSource.Gateway(Gateway1))],
            T0);

        Assert.Equal(
            [(AlarmSignalKind.Raise, "meter-offline:meter:4"), (AlarmSignalKind.Clear, "gateway-offline:gateway:1")],
            signals.Select(s => (s.Kind, s.Key.ToString())));
    }
}
