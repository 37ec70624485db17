using Kilowallet.Domain.Safety;
using static Kilowallet.Domain.Tests.Safety.Samples;

namespace Kilowallet.Domain.Tests.Safety;

public sealed class LinkHealthTests
{
    private static readonly LinkSettings Settings = new() { FailuresToOffline = 3, SuccessesToOnline = 2, SilenceToOffline = TimeSpan.FromMinutes(5) };

    private static LinkHealth Online() => LinkHealth.Start(T0).Succeeded(T0, Settings).Health;

    [Fact]
    public void The_first_contact_makes_a_device_online_without_a_change_event()
    {
        var first = LinkHealth.Start(T0).Succeeded(T0.AddSeconds(1), Settings);

        Assert.Equal((LinkStatus.Online, LinkChange.None), (first.Health.Status, first.Change));
    }

    [Fact]
    public void Three_consecutive_failures_make_a_device_offline_once()
    {
        var health = Online();
        var changes = new List<LinkChange>();
        for (var i = 1; i <= 5; i++)
        {
            var update = health.Failed(T0.AddSeconds(i * 10), Settings);
            health = update.Health;
            changes.Add(update.Change);
        }

        Assert.Equal([LinkChange.None, LinkChange.None, LinkChange.WentOffline, LinkChange.None, LinkChange.None], changes);
    }

    [Fact]
    public void A_success_between_failures_resets_the_count()
    {
        var health = Online().Failed(T0, Settings).Health.Failed(T0, Settings).Health.Succeeded(T0, Settings).Health.Failed(T0, Settings).Health;

        Assert.Equal(LinkStatus.Online, health.Status);
    }

    [Fact]
    public void An_offline_device_needs_two_successes_in_a_row_to_come_back()
    {
        var offline = Online().Failed(T0, Settings).Health.Failed(T0, Settings).Health.Failed(T0, Settings).Health;

        var once = offline.Succeeded(T0.AddMinutes(1), Settings);
        var flaky = once.Health.Failed(T0.AddMinutes(2), Settings).Health.Succeeded(T0.AddMinutes(3), Settings);
        var twice = flaky.Health.Succeeded(T0.AddMinutes(4), Settings);

        Assert.Equal(LinkStatus.Offline, once.Health.Status);
        Assert.Equal(LinkStatus.Offline, flaky.Health.Status);
        Assert.Equal((LinkStatus.Online, LinkChange.CameOnline), (twice.Health.Status, twice.Change));
    }

    [Fact]
    public void A_silent_push_device_goes_offline_after_the_silence_limit()
    {
        var online = Online();

        Assert.Equal(LinkChange.None, online.Advance(T0.AddMinutes(4.9), Settings).Change);
        Assert.Equal(LinkChange.WentOffline, online.Advance(T0.AddMinutes(5), Settings).Change);
    }

    [Fact]
    public void A_device_never_heard_from_goes_offline_after_the_silence_limit() =>
        Assert.Equal(LinkStatus.Offline, LinkHealth.Start(T0).Advance(T0.AddMinutes(6), Settings).Health.Status);
}
