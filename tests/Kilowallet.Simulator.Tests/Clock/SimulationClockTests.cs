using Kilowallet.Simulator.Clock;
using Microsoft.Extensions.Time.Testing;

namespace Kilowallet.Simulator.Tests.Clock;

public sealed class SimulationClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_real_second_is_one_simulated_minute_at_speed_60()
    {
        var fake = new FakeTimeProvider();
        var clock = new SimulationClock(fake, Start, 60);
        Assert.Equal(Start, clock.GetUtcNow());

        fake.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Start.AddMinutes(1), clock.GetUtcNow());

        fake.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(Start.AddSeconds(90), clock.GetUtcNow());
    }

    [Fact]
    public void Advancing_moves_time_forward_only_and_it_runs_on_at_the_same_speed()
    {
        var fake = new FakeTimeProvider();
        var clock = new SimulationClock(fake, Start, 60);
        clock.AdvanceTo(Start.AddHours(5));
        Assert.Equal(Start.AddHours(5), clock.GetUtcNow());

        clock.AdvanceTo(Start.AddHours(1));
        Assert.Equal(Start.AddHours(5), clock.GetUtcNow());

        fake.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(Start.AddHours(5).AddMinutes(2), clock.GetUtcNow());
    }

    [Fact]
    public void Timestamps_measure_simulated_time()
    {
        var fake = new FakeTimeProvider();
        var clock = new SimulationClock(fake, Start, 3600);
        var before = clock.GetTimestamp();
        fake.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.TicksPerSecond, clock.TimestampFrequency);
        Assert.Equal(TimeSpan.FromHours(2), clock.GetElapsedTime(before));
    }

    [Fact]
    public async Task Task_Delay_completes_after_the_simulated_delay_and_not_before()
    {
        var fake = new FakeTimeProvider();
        var clock = new SimulationClock(fake, Start, 60);
        var delay = Task.Delay(TimeSpan.FromMinutes(1), clock, TestContext.Current.CancellationToken);

        fake.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(delay.IsCompleted);
        fake.Advance(TimeSpan.FromMilliseconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.True(clock.GetUtcNow() >= Start.AddMinutes(1));
    }

    [Fact]
    public async Task PeriodicTimer_ticks_at_the_accelerated_rate()
    {
        var fake = new FakeTimeProvider();
        var clock = new SimulationClock(fake, Start, 3600);
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        var ticks = 0;
        for (var i = 0; i < 3; i++)
        {
            var next = timer.WaitForNextTickAsync(TestContext.Current.CancellationToken);
            fake.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await next.AsTask().WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
            ticks++;
        }

        Assert.Equal(3, ticks);
        Assert.Equal(Start.AddHours(3), clock.GetUtcNow());
    }

    [Fact]
    public void Changing_the_speed_keeps_the_time_and_rescales_pending_timers()
    {
        var fake = new FakeTimeProvider();
        var clock = new SimulationClock(fake, Start, 1);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromMinutes(10), Timeout.InfiniteTimeSpan);

        fake.Advance(TimeSpan.FromMinutes(4)); // 6 simulated minutes remain
        clock.SetSpeed(60);
        Assert.Equal(Start.AddMinutes(4), clock.GetUtcNow());

        fake.Advance(TimeSpan.FromSeconds(5)); // 5 simulated minutes
        Assert.Equal(0, fired);
        fake.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, fired);
        Assert.Equal(Start.AddMinutes(10), clock.GetUtcNow());
    }

    [Fact]
    public void A_speed_of_zero_or_less_is_refused_with_a_sentence()
    {
        var fake = new FakeTimeProvider();
        var zero = Assert.Throws<ArgumentException>(() => new SimulationClock(fake, Start, 0));
        Assert.Contains("speed", zero.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SimulationClock(fake, Start, -5));
        Assert.Throws<ArgumentException>(() => new SimulationClock(fake, Start, double.NaN));
        var clock = new SimulationClock(fake, Start, 1);
        Assert.Throws<ArgumentException>(() => clock.SetSpeed(0));
    }

    [Fact]
    public async Task Time_never_goes_backwards_for_concurrent_readers_while_the_speed_changes()
    {
        var clock = new SimulationClock(TimeProvider.System, Start, 1000);
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var last = clock.GetUtcNow();
            for (var i = 0; i < 200_000; i++)
            {
                var now = clock.GetUtcNow();
                if (now < last)
                {
                    return false;
                }

                last = now;
            }

            return true;
        }, TestContext.Current.CancellationToken)).ToList();
        for (var i = 0; i < 200; i++)
        {
            clock.SetSpeed(i % 2 == 0 ? 1 : 5000);
        }

        var results = await Task.WhenAll(readers);
        Assert.All(results, Assert.True);
    }

    [Fact]
    public void Real_time_for_a_simulated_span_rounds_up_so_timers_never_fire_early()
    {
        var clock = new SimulationClock(new FakeTimeProvider(), Start, 3);
        var real = clock.ToReal(TimeSpan.FromTicks(10));
        Assert.Equal(TimeSpan.FromTicks(4), real);
        Assert.Equal(Timeout.InfiniteTimeSpan, clock.ToReal(Timeout.InfiniteTimeSpan));
    }
}
