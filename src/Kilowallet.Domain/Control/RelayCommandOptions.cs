namespace Kilowallet.Domain.Control;

/// <summary>Timings of the relay command state machine.</summary>
public sealed record RelayCommandOptions
{
    /// <summary>How long to wait for the meter to acknowledge a command before the attempt fails.</summary>
    public TimeSpan AcknowledgementTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long after the acknowledgement to read the relay state back (the relay needs a moment).</summary>
    public TimeSpan ReadBackDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long after the read-back is due a matching state must arrive before the attempt fails.</summary>
    public TimeSpan ReadBackTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts (sends) before the command fails; at least 1.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Wait after the first failed attempt; doubled after each further failure.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound of the wait between attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait after <paramref name="failedAttempts"/> failed attempts: InitialBackoff × 2^(n−1), at most MaxBackoff.</summary>
    public TimeSpan BackoffAfter(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var backoff = InitialBackoff;
        for (var i = 1; i < failedAttempts && backoff < MaxBackoff; i++)
        {
            backoff += backoff;
        }

        return backoff < MaxBackoff ? backoff : MaxBackoff;
    }

    /// <summary>Throws when a setting is out of range; call at start-up.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AcknowledgementTimeout, TimeSpan.Zero, nameof(AcknowledgementTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReadBackDelay, TimeSpan.Zero, nameof(ReadBackDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReadBackTimeout, TimeSpan.Zero, nameof(ReadBackTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(InitialBackoff, TimeSpan.Zero, nameof(InitialBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, InitialBackoff, nameof(MaxBackoff));
    }
}
