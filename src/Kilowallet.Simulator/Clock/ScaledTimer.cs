namespace Kilowallet.Simulator.Clock;

/// <summary>A timer of <see cref="SimulationClock"/>: an inner timer whose due time and period are divided by the speed.</summary>
internal sealed class ScaledTimer : ITimer
{
    private readonly SimulationClock _clock;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private readonly Lock _gate = new();
    private ITimer? _inner;
    private long _dueSimulatedTicks = long.MaxValue;
    private TimeSpan _period = Timeout.InfiniteTimeSpan;
    private bool _disposed;

    public ScaledTimer(SimulationClock clock, TimerCallback callback, object? state)
    {
        _clock = clock;
        _callback = callback;
        _state = state;
    }

    public void Start(TimeProvider inner, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            Remember(dueTime, period);
            var speed = _clock.Speed;
            _inner = inner.CreateTimer(static s => ((ScaledTimer)s!).Fire(), this,
                SimulationClock.ToReal(dueTime, speed), SimulationClock.ToReal(period, speed));
        }
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            if (_disposed || _inner is null)
            {
                return false;
            }

            Remember(dueTime, period);
            var speed = _clock.Speed;
            return _inner.Change(SimulationClock.ToReal(dueTime, speed), SimulationClock.ToReal(period, speed));
        }
    }

    /// <summary>After a speed change: keep the remaining simulated time, at the new speed.</summary>
    public void Rescale()
    {
        lock (_gate)
        {
            if (_disposed || _inner is null || _dueSimulatedTicks == long.MaxValue)
            {
                return;
            }

            var remaining = TimeSpan.FromTicks(Math.Max(0, _dueSimulatedTicks - _clock.GetUtcNow().UtcTicks));
            var speed = _clock.Speed;
            _inner.Change(SimulationClock.ToReal(remaining, speed), SimulationClock.ToReal(_period, speed));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _inner?.Dispose();
        }

        _clock.Forget(this);
    }

    public async ValueTask DisposeAsync()
    {
        ITimer? inner;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            inner = _inner;
        }

        if (inner is not null)
        {
            await inner.DisposeAsync();
        }

        _clock.Forget(this);
    }

    private void Fire()
    {
        lock (_gate)
        {
            _dueSimulatedTicks = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero
                ? long.MaxValue
                : SaturatingAdd(_clock.GetUtcNow().UtcTicks, _period.Ticks);
        }

        _callback(_state);
    }

    private void Remember(TimeSpan dueTime, TimeSpan period)
    {
        _dueSimulatedTicks = dueTime == Timeout.InfiniteTimeSpan || dueTime < TimeSpan.Zero
            ? long.MaxValue
            : SaturatingAdd(_clock.GetUtcNow().UtcTicks, dueTime.Ticks);
        _period = period;
    }

    private static long SaturatingAdd(long a, long b) => b > long.MaxValue - a ? long.MaxValue : a + b;
}
