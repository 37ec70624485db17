using Kilowallet.Domain;
using Kilowallet.Domain.Control;
using Kilowallet.Server.Metering;

namespace Kilowallet.Server.Control;

/// <summary>
/// One relay command as logged: what (target and the protocol action), why (cause, reason), who asked,
/// and how it went — queued → sent → acknowledged → verified by reading the relay back, or failed after
/// its retries, or superseded by a newer wish before it was sent. Numbered per meter.
/// </summary>
public sealed class RelayCommandRecord
{
    public long Id { get; set; }

    public MeterId MeterId { get; set; }

    /// <summary>1, 2, 3 … per meter, in the order the commands were asked for.</summary>
    public long Sequence { get; set; }

    public RelayState Target { get; set; }

    /// <summary>The protocol action sent: "trip", "close" or "close_allowed"; null until first sent.</summary>
    public string? Action { get; set; }

    public RelayCause Cause { get; set; }

    /// <summary>"system" for the control policy, or the operator's name.</summary>
    public required string RequestedBy { get; set; }

    /// <summary>The operator's reason, or the policy's explanation.</summary>
    public string? Reason { get; set; }

    public RelayCommandStatus Status { get; set; }

    /// <summary>Sends so far.</summary>
    public int Attempts { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    /// <summary>The first send.</summary>
    public DateTimeOffset? SentAt { get; set; }

    public DateTimeOffset? LastSentAt { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public DateTimeOffset? VerifiedAt { get; set; }

    public DateTimeOffset? FailedAt { get; set; }

    /// <summary>When the command ended: verified, failed or superseded.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>From queued to verified, in milliseconds (server clock).</summary>
    public long? LatencyMs { get; set; }

    /// <summary>The relay state read back after the command (a close-allowed meter stays open until its button is pressed).</summary>
    public RelayReport? ReadBack { get; set; }

    /// <summary>Why the last attempt failed, or a note on how the command was verified.</summary>
    public string? Error { get; set; }
}
