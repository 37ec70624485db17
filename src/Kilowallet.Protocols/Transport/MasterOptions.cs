namespace Kilowallet.Protocols.Transport;

/// <summary>
/// How a master talks to a bus. All finite: a request never waits longer than <see cref="ResponseTimeout"/>
/// per attempt, and is tried <c>1 + Retries</c> times at most.
/// </summary>
public sealed record MasterOptions
{
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Extra attempts after a timeout, bad CRC, invalid frame or broken connection (not after a device error).</summary>
    public int Retries { get; init; } = 2;

    /// <summary>First wait after a failed connection attempt; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ResponseTimeout, TimeSpan.Zero, nameof(ResponseTimeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ResponseTimeout, TimeSpan.FromMinutes(5), nameof(ResponseTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(Retries, nameof(Retries));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Retries, 10, nameof(Retries));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(InitialReconnectDelay, TimeSpan.Zero, nameof(InitialReconnectDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReconnectDelay, InitialReconnectDelay, nameof(MaxReconnectDelay));
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
