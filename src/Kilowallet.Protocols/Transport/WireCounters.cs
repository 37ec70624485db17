namespace Kilowallet.Protocols.Transport;

/// <summary>Thread-safe counters behind <see cref="WireStatistics"/>; one per master.</summary>
internal sealed class WireCounters
{
    private long _requests;
    private long _successes;
    private long _deviceErrors;
    private long _timeouts;
    private long _checksumErrors;
    private long _invalidFrames;
    private long _connectionFailures;
    private long _discardedFrames;
    private long _reconnects;
    private long _lastLatencyTicks = -1;

    public void Request() => Interlocked.Increment(ref _requests);

    public void Discarded() => Interlocked.Increment(ref _discardedFrames);

    public void Reconnected() => Interlocked.Increment(ref _reconnects);

    public void Latency(TimeSpan latency) => Interlocked.Exchange(ref _lastLatencyTicks, latency.Ticks);

    public void Outcome(ExchangeStatus status)
    {
        switch (status)
        {
            case ExchangeStatus.Success:
                Interlocked.Increment(ref _successes);
                break;
            case ExchangeStatus.DeviceError:
                Interlocked.Increment(ref _deviceErrors);
                break;
            case ExchangeStatus.Timeout:
                Interlocked.Increment(ref _timeouts);
                break;
            case ExchangeStatus.BadChecksum:
                Interlocked.Increment(ref _checksumErrors);
                break;
            case ExchangeStatus.InvalidFrame:
                Interlocked.Increment(ref _invalidFrames);
                break;
            case ExchangeStatus.ConnectionFailed:
                Interlocked.Increment(ref _connectionFailures);
                break;
            default:
                break;
        }
    }

    public WireStatistics Snapshot()
    {
        var latency = Interlocked.Read(ref _lastLatencyTicks);
        return new WireStatistics(
            Interlocked.Read(ref _requests),
            Interlocked.Read(ref _successes),
            Interlocked.Read(ref _deviceErrors),
            Interlocked.Read(ref _timeouts),
            Interlocked.Read(ref _checksumErrors),
            Interlocked.Read(ref _invalidFrames),
            Interlocked.Read(ref _connectionFailures),
            Interlocked.Read(ref _discardedFrames),
            Interlocked.Read(ref _reconnects),
            latency < 0 ? null : TimeSpan.FromTicks(latency));
    }
}
