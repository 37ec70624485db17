using Kilowallet.Domain.Control;
using Kilowallet.Server.Control;

namespace Kilowallet.Server.Tests.Control;

/// <summary>The stored and API text of friendly hours and control decisions.</summary>
public sealed class ControlTextTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void Windows_and_days_round_trip_through_their_stored_text()
    {
        var windows = FriendlyHoursText.ParseWindows("20:00-08:00; 12:00-13:30");
        Assert.Equal([new DailyWindow(new TimeOnly(20, 0), new TimeOnly(8, 0)), new DailyWindow(new TimeOnly(12, 0), new TimeOnly(13, 30))], windows);
        Assert.Equal("20:00-08:00;12:00-13:30", FriendlyHoursText.FormatWindows(windows));
        var days = FriendlyHoursText.ParseDays("Sunday,saturday,sunday");
        Assert.Equal("sunday,saturday", FriendlyHoursText.FormatDays(days));
        Assert.Empty(FriendlyHoursText.ParseWindows(null));
    }

    [Theory]
    [InlineData("20:00")]
    [InlineData("20:00-20:00")]
    [InlineData("8pm-8am")]
    public void A_malformed_window_is_refused_with_a_sentence(string text) =>
        Assert.Throws<FormatException>(() => FriendlyHoursText.ParseWindows(text));

    [Theory]
    [InlineData("funday")]
    [InlineData("3")]
    public void An_unknown_day_is_refused(string text) => Assert.Throws<FormatException>(() => FriendlyHoursText.Day(text));

    [Fact]
    public void Decisions_read_as_one_line_in_the_sites_local_time()
    {
        var deferred = ControlPolicy.Decide(
            new ControlSituation
            {
                Now = new DateTimeOffset(2026, 3, 4, 22, 0, 0, TimeSpan.FromHours(8)),
                AvailableBalance = Domain.Money.Zero,
                Thresholds = default,
                Desired = RelayState.Closed,
                FriendlyHours = new FriendlyHours(Shanghai, [new DailyWindow(new TimeOnly(20, 0), new TimeOnly(8, 0))], [], []),
            },
            new ControlPolicyOptions());
        Assert.Equal("trip deferred until 2026-03-05 08:00 (friendly-hours)", ControlText.Describe(deferred, Shanghai));
        Assert.Equal("no change (keep-power)", ControlText.Describe(ControlDecision.Nothing(ControlHold.KeepPower), Shanghai));
        Assert.Equal("reconnect now (balance-restored; close allowed, the tenant presses the button)", ControlText.Describe(ControlDecision.ReconnectNow(RelayCause.BalanceRestored, CloseMode.CloseAllowed), Shanghai));
        Assert.Equal("safety-released", ControlText.Code(RelayCause.SafetyReleased));
    }
}
