namespace Kilowallet.Protocols.Transport;

/// <summary>
/// Keeps a master's channel open: opens it on demand, waits with exponential backoff after failed
/// attempts (so a dead gateway costs one quick failure per request, not a connect timeout each time),
/// and leaves the inter-frame gap a serial line needs.
/// </summary>
internal sealed class ChannelLink
{
    private readonly MasterOptions _options;
    private readonly WireCounters _counters;
    private TimeSpan _delay;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;
    private long _lastActivity;
    private bool _everOpened;
    private string? _lastError;

    public ChannelLink(IByteChannel channel, MasterOptions options, WireCounters counters)
    {
        Channel = channel;
        _options = options;
        _counters = counters;
        _delay = options.InitialReconnectDelay;
    }

    public IByteChannel Channel { get; }

    public TimeProvider Time => _options.TimeProvider;

    /// <summary>Null when the channel is open, else why it is not.</summary>
    public async ValueTask<string?> EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (Channel.IsOpen)
        {
            return null;
        }

        var now = Time.GetUtcNow();
        if (now < _nextAttempt)
        {
            return $"{_lastError} (next attempt in {(_nextAttempt - now).TotalSeconds:0.###} s)";
        }

        try
        {
            await Channel.OpenAsync(cancellationToken);
            if (_everOpened)
            {
                _counters.Reconnected();
            }

            _everOpened = true;
            _delay = _options.InitialReconnectDelay;
            _nextAttempt = DateTimeOffset.MinValue;
            _lastActivity = Time.GetTimestamp();
            return null;
        }
        catch (IOException ex)
        {
            _lastError = ex.Message;
            _nextAttempt = now + _delay;
            var doubled = _delay * 2;
            _delay = doubled > _options.MaxReconnectDelay ? _options.MaxReconnectDelay : doubled;
            return ex.Message;
        }
    }

    /// <summary>Closes the channel after an I/O failure or a desynchronised stream; the next request reopens it.</summary>
    public void Broken() => Channel.Close();

    public void MarkActivity() => _lastActivity = Time.GetTimestamp();

    /// <summary>Waits until the line has been silent for the channel's inter-frame gap (t3.5 on serial lines).</summary>
    public async ValueTask WaitForSilenceAsync(CancellationToken cancellationToken)
    {
        var gap = Channel.InterFrameGap;
        if (gap <= TimeSpan.Zero)
        {
            return;
        }

        var elapsed = Time.GetElapsedTime(_lastActivity);
        if (elapsed < gap)
        {
            await Task.Delay(gap - elapsed, Time, cancellationToken);
        }
    }
}
