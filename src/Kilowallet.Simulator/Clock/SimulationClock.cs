using System.Runtime.CompilerServices;

namespace Kilowallet.Simulator.Clock;

/// <summary>
/// A <see cref="TimeProvider"/> whose time runs <see cref="Speed"/> times faster than an inner provider
/// (speed 60: one real second is one simulated minute), starting at a chosen instant.
/// </summary>
/// <remarks>
/// <para>Simulated time = the start instant + the inner provider's elapsed monotonic time × speed. It never goes
/// backwards, even across <see cref="SetSpeed"/> or concurrent readers.</para>
/// <para><see cref="GetTimestamp"/> counts simulated ticks (<see cref="TimestampFrequency"/> is
/// <see cref="TimeSpan.TicksPerSecond"/>), so <c>GetElapsedTime</c> measures simulated time.</para>
/// <para>Timers run on the inner provider with their due time and period divided by the speed (rounded up, so a
/// timer never fires before its simulated due time); <c>Task.Delay(span, clock)</c>, <c>PeriodicTimer</c> and
/// <c>CancellationTokenSource(span, clock)</c> therefore work in simulated time. A speed change re-schedules
/// every live timer for its remaining simulated time.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class SimulationClock : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly ConditionalWeakTable<ScaledTimer, object?> _timers = [];
    private readonly Lock _speedGate = new();
    private Anchor _anchor;
    private long _lastReportedTicks;

    /// <param name="inner">The real (or fake) time the simulation runs on.</param>
    /// <param name="start">Simulated time at this moment.</param>
    /// <param name="speed">Simulated seconds per real second; greater than zero.</param>
    public SimulationClock(TimeProvider inner, DateTimeOffset start, double speed)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ValidateSpeed(speed);
        _inner = inner;
        _anchor = new Anchor(start.UtcTicks, inner.GetTimestamp(), speed);
        _lastReportedTicks = start.UtcTicks;
    }

    /// <summary>A clock that starts now (by <paramref name="inner"/>) and runs at <paramref name="speed"/>.</summary>
    public static SimulationClock StartingNow(TimeProvider inner, double speed)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new SimulationClock(inner, inner.GetUtcNow(), speed);
    }

    /// <summary>Simulated seconds per real second.</summary>
    public double Speed => Volatile.Read(ref _anchor).Speed;

    /// <summary>The provider the simulation runs on.</summary>
    public TimeProvider Inner => _inner;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Changes the speed from now on; simulated time continues from where it is, without a jump.</summary>
    public void SetSpeed(double speed)
    {
        ValidateSpeed(speed);
        lock (_speedGate)
        {
            var now = GetUtcNow().UtcTicks;
            Volatile.Write(ref _anchor, new Anchor(now, _inner.GetTimestamp(), speed));
            foreach (var (timer, _) in _timers)
            {
                timer.Rescale();
            }
        }
    }

    /// <summary>
    /// Moves simulated time forward to <paramref name="instant"/> (never backwards) and runs on from there at the
    /// same speed: an accelerated simulation restarted on stored data resumes after the last instant it stored.
    /// </summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        lock (_speedGate)
        {
            if (instant.UtcTicks > GetUtcNow().UtcTicks)
            {
                Volatile.Write(ref _anchor, new Anchor(instant.UtcTicks, _inner.GetTimestamp(), Speed));
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => new(NowTicks(), TimeSpan.Zero);

    public override long GetTimestamp() => NowTicks();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ScaledTimer(this, callback, state);
        lock (_speedGate)
        {
            _timers.Add(timer, null);
            timer.Start(_inner, dueTime, period);
        }

        return timer;
    }

    /// <summary>Real time that corresponds to <paramref name="simulated"/> at the current speed, rounded up.</summary>
    public TimeSpan ToReal(TimeSpan simulated) => ToReal(simulated, Speed);

    internal void Forget(ScaledTimer timer) => _timers.Remove(timer);

    internal static TimeSpan ToReal(TimeSpan simulated, double speed)
    {
        if (simulated == Timeout.InfiniteTimeSpan || simulated <= TimeSpan.Zero)
        {
            return simulated;
        }

        var real = Math.Ceiling(simulated.Ticks / speed);
        if (real >= MaxTimerTicks)
        {
            return TimeSpan.FromTicks(MaxTimerTicks);
        }

        var ticks = (long)real;
        while (Math.Floor(ticks * speed) < simulated.Ticks)
        {
            ticks++;
        }

        return TimeSpan.FromTicks(ticks);
    }

    private const long MaxTimerTicks = 4_294_967_294L * TimeSpan.TicksPerMillisecond;

    private long NowTicks()
    {
        var anchor = Volatile.Read(ref _anchor);
        var realElapsed = _inner.GetElapsedTime(anchor.InnerTimestamp).Ticks;
        var computed = anchor.SimulatedTicks + (long)Math.Floor(Math.Max(0, realElapsed) * anchor.Speed);

        // Never report a time earlier than one already reported (readers racing a speed change).
        var last = Volatile.Read(ref _lastReportedTicks);
        while (computed > last)
        {
            var seen = Interlocked.CompareExchange(ref _lastReportedTicks, computed, last);
            if (seen == last)
            {
                return computed;
            }

            last = seen;
        }

        return last;
    }

    private static void ValidateSpeed(double speed)
    {
        if (!(speed > 0) || double.IsInfinity(speed))
        {
            throw new ArgumentException($"The simulation speed must be a finite number greater than zero (got {speed}).", nameof(speed));
        }
    }

    private sealed record Anchor(long SimulatedTicks, long InnerTimestamp, double Speed);
}
