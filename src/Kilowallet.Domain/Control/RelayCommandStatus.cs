namespace Kilowallet.Domain.Control;

/// <summary>Where a relay command stands: queued → sent → acknowledged → verified, or failed, or superseded.</summary>
public enum RelayCommandStatus
{
    /// <summary>Waiting to be sent: new, or waiting for its next attempt after a backoff.</summary>
    Queued = 0,

    /// <summary>Sent; waiting for the meter's acknowledgement.</summary>
    Sent = 1,

    /// <summary>Acknowledged; waiting to read the relay state back.</summary>
    Acknowledged = 2,

    /// <summary>The relay state read back matches the target. Final.</summary>
    Verified = 3,

    /// <summary>Every attempt failed; an alarm is due. Final.</summary>
    Failed = 4,

    /// <summary>Replaced by a newer desired state before it was sent. Final.</summary>
    Superseded = 5,
}
