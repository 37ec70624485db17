using Kilowallet.Domain.Safety;
using static Kilowallet.Domain.Tests.Safety.Samples;

namespace Kilowallet.Domain.Tests.Safety;

public sealed class AlarmLifecycleTests
{
    [Fact]
    public void A_repeated_raise_updates_the_open_alarm_instead_of_opening_another()
    {
        var first = AlarmLifecycle.Apply(null, AlarmSignal.Raise(AlarmType.OverVoltage, Meter7, T0, "L1 255 V"));
        var again = AlarmLifecycle.Apply(first.Alarm, AlarmSignal.Raise(AlarmType.OverVoltage, Meter7, T0.AddMinutes(1), "L1 256 V"));

        Assert.Equal(AlarmUpdateKind.Raised, first.Kind);
        Assert.Equal(AlarmUpdateKind.Repeated, again.Kind);
        Assert.Equal((2, T0, T0.AddMinutes(1), "L1 256 V"), (again.Alarm!.Occurrences, again.Alarm.RaisedAt, again.Alarm.LastSeenAt, again.Alarm.Detail));
    }

    [Fact]
    public void A_clear_closes_the_open_alarm_and_a_clear_with_none_open_is_ignored()
    {
        var raised = Alarm.Raise(AlarmSignal.Raise(AlarmType.Bypass, Meter7, T0, "3 A"));

        var cleared = AlarmLifecycle.Apply(raised, AlarmSignal.Clear(AlarmType.Bypass, Meter7, T0.AddMinutes(5), "ok"));
        var stray = AlarmLifecycle.Apply(null, AlarmSignal.Clear(AlarmType.Bypass, Meter7, T0.AddMinutes(6), "ok"));

        Assert.Equal(AlarmUpdateKind.Cleared, cleared.Kind);
        Assert.Equal((AlarmStatus.Cleared, T0.AddMinutes(5), (string?)null), (cleared.Alarm!.Status, cleared.Alarm.ClearedAt, cleared.Alarm.ClearedBy));
        Assert.Equal(AlarmUpdateKind.Ignored, stray.Kind);
    }

    [Fact]
    public void A_lockout_is_cleared_by_an_operator_not_by_its_detector()
    {
        var lockout = Alarm.Raise(AlarmSignal.Raise(AlarmType.OverloadLockout, Meter7, T0, "4 trips"));

        var automatic = AlarmLifecycle.Apply(lockout, AlarmSignal.Clear(AlarmType.OverloadLockout, Meter7, T0.AddHours(1), "x"));
        var byOperator = AlarmLifecycle.Apply(lockout, AlarmSignal.Clear(AlarmType.OverloadLockout, Meter7, T0.AddHours(1), "Reset", "op-1"));

        Assert.Equal(AlarmUpdateKind.Ignored, automatic.Kind);
        Assert.True(automatic.Alarm!.IsOpen);
        Assert.Equal("op-1", byOperator.Alarm!.ClearedBy);
    }

    [Fact]
    public void Acknowledging_records_who_and_when_and_keeps_the_alarm_open()
    {
        var acknowledged = Alarm.Raise(AlarmSignal.Raise(AlarmType.PhaseLoss, Meter7, T0, "L2 0 V")).Acknowledge("op-2", T0.AddMinutes(3));

        Assert.Equal((AlarmStatus.Acknowledged, "op-2", T0.AddMinutes(3)), (acknowledged.Status, acknowledged.AcknowledgedBy, acknowledged.AcknowledgedAt));
        Assert.True(acknowledged.IsOpen);
    }

    [Fact]
    public void The_deduplication_key_names_the_cause_and_the_source()
    {
        Assert.Equal("overload:meter:7", new AlarmKey(AlarmType.Overload, Meter7).ToString());
        Assert.Equal("gateway-offline:gateway:3", new AlarmKey(AlarmType.GatewayOffline, AlarmSource.Gateway(GatewayId.From(3))).ToString());
        Assert.All(Enum.GetValues<AlarmType>(), t => Assert.Matches("^[a-z]+(-[a-z]+)*$", AlarmCatalog.Code(t)));
    }

    [Fact]
    public void Passing_an_alarm_with_another_key_is_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => AlarmLifecycle.Apply(
            Alarm.Raise(AlarmSignal.Raise(AlarmType.Bypass, Meter7, T0, "x")),
            AlarmSignal.Raise(AlarmType.Overload, Meter7, T0, "y")));
}
