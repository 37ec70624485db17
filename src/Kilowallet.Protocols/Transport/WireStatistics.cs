namespace Kilowallet.Protocols.Transport;

/// <summary>A snapshot of one master's wire counters.</summary>
public sealed record WireStatistics(
    long Requests,
    long Successes,
    long DeviceErrors,
    long Timeouts,
    long ChecksumErrors,
    long InvalidFrames,
    long ConnectionFailures,
    long DiscardedFrames,
    long Reconnects,
    TimeSpan? LastLatency);
