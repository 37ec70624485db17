namespace Kilowallet.Domain.Control;

/// <summary>
/// One relay command with its timings, as logged: what, why, who, and how it went.
/// <see cref="DueAt"/> depends on the status: when to send (queued), the acknowledgement deadline
/// (sent), or when to read the state back (acknowledged).
/// </summary>
public sealed record RelayCommand
{
    /// <summary>Increases by one for each command of a meter; with the meter id, it names the command.</summary>
    public required long Sequence { get; init; }

    public required RelayState Target { get; init; }

    public required RelayCause Cause { get; init; }

    /// <summary>Who or what asked: "system", or the operator's user id.</summary>
    public required string RequestedBy { get; init; }

    public required DateTimeOffset QueuedAt { get; init; }

    public RelayCommandStatus Status { get; init; }

    public DateTimeOffset DueAt { get; init; }

    /// <summary>Sends so far.</summary>
    public int Attempts { get; init; }

    public DateTimeOffset? FirstSentAt { get; init; }

    public DateTimeOffset? LastSentAt { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>When the command was verified, failed or superseded.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Why the last attempt failed; null if none has.</summary>
    public string? LastFailure { get; init; }

    public bool IsInFlight => Status is RelayCommandStatus.Sent or RelayCommandStatus.Acknowledged;

    public bool IsFinal => Status is RelayCommandStatus.Verified or RelayCommandStatus.Failed or RelayCommandStatus.Superseded;
}
