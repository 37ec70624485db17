using Kilowallet.Domain.Control;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Notifications;
using Kilowallet.Domain.Safety;

namespace Kilowallet.Domain.Tests.Notifications;

public sealed class NotificationRulesTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly QuietHours Nights = new(new DailyWindow(new TimeOnly(22, 0), new TimeOnly(8, 0)), Shanghai);

    private static DateTimeOffset ShanghaiTime(int day, int hour, int minute = 0) => new(2025, 1, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Fact]
    public void A_warning_during_quiet_hours_is_delivered_when_they_end_the_next_morning() =>
        Assert.Equal(ShanghaiTime(2, 8), NotificationRules.DeliveryTime(NotificationKind.Warning1Crossed, ShanghaiTime(1, 23, 10), Nights));

    [Fact]
    public void A_warning_outside_quiet_hours_is_delivered_at_once() =>
        Assert.Equal(ShanghaiTime(1, 21, 59), NotificationRules.DeliveryTime(NotificationKind.PredictedExhaustion, ShanghaiTime(1, 21, 59), Nights));

    [Theory]
    [InlineData(NotificationKind.PowerCut)]
    [InlineData(NotificationKind.CreditExhausted)]
    [InlineData(NotificationKind.TopUpReceived)]
    [InlineData(NotificationKind.ReconnectPressButton)]
    [InlineData(NotificationKind.OperatorAlarm)]
    public void Power_events_top_ups_and_alarms_ignore_quiet_hours(NotificationKind kind) =>
        Assert.Equal(ShanghaiTime(2, 3), NotificationRules.DeliveryTime(kind, ShanghaiTime(2, 3), Nights));

    [Fact]
    public void Without_quiet_hours_everything_is_delivered_at_once() =>
        Assert.Equal(ShanghaiTime(2, 3), NotificationRules.DeliveryTime(NotificationKind.Warning2Crossed, ShanghaiTime(2, 3), null));

    [Fact]
    public void Balance_events_map_to_tenant_notifications()
    {
        Assert.Equal(NotificationKind.Warning1Crossed, NotificationRules.ForBalanceEvent(BalanceEvent.CrossedWarning1));
        Assert.Equal(NotificationKind.Warning2Crossed, NotificationRules.ForBalanceEvent(BalanceEvent.CrossedWarning2));
        Assert.Equal(NotificationKind.CreditExhausted, NotificationRules.ForBalanceEvent(BalanceEvent.Exhausted));
        Assert.Null(NotificationRules.ForBalanceEvent(BalanceEvent.BackAboveReconnectLevel));
        Assert.Equal(NotificationAudience.Operator, NotificationRules.AudienceOf(NotificationKind.OperatorAlarm));
    }

    [Fact]
    public void The_same_event_always_has_the_same_key_and_different_events_different_keys()
    {
        var account = AccountId.From(42);
        var at = ShanghaiTime(1, 10);

        Assert.Equal(
            NotificationKey.ForBalanceEvent(NotificationKind.Warning1Crossed, account, at),
            NotificationKey.ForBalanceEvent(NotificationKind.Warning1Crossed, account, at));
        Assert.NotEqual(
            NotificationKey.ForBalanceEvent(NotificationKind.Warning1Crossed, account, at),
            NotificationKey.ForBalanceEvent(NotificationKind.Warning1Crossed, account, at.AddDays(3)));
        Assert.Equal("warning-1:account:42:20250101T020000.000Z", NotificationKey.ForBalanceEvent(NotificationKind.Warning1Crossed, account, at).Value);
        Assert.Equal("top-up:account:42:receipt:R-7", NotificationKey.ForTopUp(account, IdempotencyKey.ForReceipt("R-7")).Value);
        Assert.Equal("power-cut:meter:9:12", NotificationKey.ForRelayCommand(NotificationKind.PowerCut, MeterId.From(9), 12).Value);
        Assert.Equal("predicted-exhaustion:account:42:2025-01-01", NotificationKey.ForPrediction(account, new DateOnly(2025, 1, 1)).Value);
        Assert.StartsWith(
            "operator-alarm:bypass:meter:9:",
            NotificationKey.ForAlarm(new AlarmKey(AlarmType.Bypass, AlarmSource.Meter(MeterId.From(9))), at).Value,
            StringComparison.Ordinal);
    }
}
