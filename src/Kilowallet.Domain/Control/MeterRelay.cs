namespace Kilowallet.Domain.Control;

/// <summary>
/// The relay command state machine of one meter. Immutable: every event returns a
/// <see cref="RelayTransition"/> with the new state and the next step. At most one command is in
/// flight; a request made meanwhile waits as <see cref="Pending"/>, and a newer request replaces a
/// command that has not been sent yet. An attempt fails when the meter rejects it, does not
/// acknowledge within the timeout, or the state read back is wrong or missing; the command is then
/// retried after an exponential backoff, and fails for good after
/// <see cref="RelayCommandOptions.MaxAttempts"/>. The server supplies every instant.
/// </summary>
public sealed record MeterRelay
{
    private MeterRelay(RelayCommandOptions options) => Options = options;

    public RelayCommandOptions Options { get; }

    /// <summary>The command being carried out: queued, sent or acknowledged; null when idle.</summary>
    public RelayCommand? Active { get; private init; }

    /// <summary>A command waiting for the in-flight <see cref="Active"/> one to finish.</summary>
    public RelayCommand? Pending { get; private init; }

    /// <summary>The most recent command that was verified or failed.</summary>
    public RelayCommand? LastCompleted { get; private init; }

    /// <summary>The relay state last read back from the meter; null when unknown.</summary>
    public RelayState? Reported { get; private init; }

    public long LastSequence { get; private init; }

    /// <summary>The state most recently asked for; falls back to the reported state when nothing was ever asked.</summary>
    public RelayState? Desired => Pending?.Target ?? Active?.Target ?? LastCompleted?.Target ?? Reported;

    /// <summary>Nothing queued or in flight and the meter reports the desired state.</summary>
    public bool IsSettled => Active is null && Pending is null && Reported is not null && Reported == Desired;

    /// <summary>A meter with no command history; <paramref name="lastSequence"/> continues the numbering of stored commands.</summary>
    public static MeterRelay Create(RelayCommandOptions options, RelayState? reported = null, long lastSequence = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new MeterRelay(options) { Reported = reported, LastSequence = lastSequence };
    }

    /// <summary>Asks for the relay to be in <paramref name="target"/>.</summary>
    public RelayTransition Request(RelayState target, RelayCause cause, string requestedBy, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        var command = new RelayCommand
        {
            Sequence = LastSequence + 1,
            Target = target,
            Cause = cause,
            RequestedBy = requestedBy,
            QueuedAt = now,
            Status = RelayCommandStatus.Queued,
            DueAt = now,
        };

        if (Active is null)
        {
            return Settle(this with { Active = command, LastSequence = command.Sequence }, now);
        }

        if (Active.Status == RelayCommandStatus.Queued)
        {
            return Active.Target == target
                ? Settle(this, now)
                : Settle(this with { Active = command, LastSequence = command.Sequence }, now, superseded: Supersede(Active, now));
        }

        // In flight: the new wish waits, replacing an older waiting one.
        if (Active.Target == target)
        {
            return Settle(this with { Pending = null }, now, superseded: Pending is null ? null : Supersede(Pending, now));
        }

        return Pending?.Target == target
            ? Settle(this, now)
            : Settle(
                this with { Pending = command, LastSequence = command.Sequence },
                now,
                superseded: Pending is null ? null : Supersede(Pending, now));
    }

    /// <summary>The next step as of <paramref name="now"/>, without changing anything.</summary>
    public RelayStep NextStep(DateTimeOffset now) => Active switch
    {
        null => RelayStep.Idle,
        { Status: RelayCommandStatus.Queued } queued => now >= queued.DueAt ? RelayStep.Send(queued.Target) : RelayStep.WaitUntil(queued.DueAt),
        { Status: RelayCommandStatus.Sent } sent => RelayStep.WaitUntil(sent.DueAt),
        { Status: RelayCommandStatus.Acknowledged } acked => now >= acked.DueAt ? RelayStep.ReadBack : RelayStep.WaitUntil(acked.DueAt),
        _ => throw new InvalidOperationException($"An active command cannot be {Active.Status}."),
    };

    /// <summary>The active command was handed to the transport at <paramref name="now"/>.</summary>
    public RelayTransition Sent(DateTimeOffset now)
    {
        if (Active is not { Status: RelayCommandStatus.Queued } queued)
        {
            throw new InvalidOperationException("There is no queued command to send.");
        }

        var sent = queued with
        {
            Status = RelayCommandStatus.Sent,
            Attempts = queued.Attempts + 1,
            FirstSentAt = queued.FirstSentAt ?? now,
            LastSentAt = now,
            DueAt = now + Options.AcknowledgementTimeout,
        };
        return Settle(this with { Active = sent }, now);
    }

    /// <summary>The meter acknowledged the command. A late acknowledgement of an abandoned attempt is ignored.</summary>
    public RelayTransition Acknowledged(DateTimeOffset now)
    {
        if (Active is not { Status: RelayCommandStatus.Sent } sent)
        {
            return Settle(this, now);
        }

        var acked = sent with { Status = RelayCommandStatus.Acknowledged, AcknowledgedAt = now, DueAt = now + Options.ReadBackDelay };
        return Settle(this with { Active = acked }, now);
    }

    /// <summary>Sending failed or the meter refused the command: the attempt fails.</summary>
    public RelayTransition Rejected(DateTimeOffset now, string reason) =>
        Active is { IsInFlight: true } ? AttemptFailed(now, reason) : Settle(this, now);

    /// <summary>
    /// The relay state read from the meter. It verifies an acknowledged (or sent, for meters that do not
    /// acknowledge) command when it matches the target; a mismatch after the acknowledgement fails the attempt.
    /// </summary>
    public RelayTransition ReadBack(DateTimeOffset now, RelayState reported)
    {
        var relay = this with { Reported = reported };
        return Active switch
        {
            { IsInFlight: true } active when active.Target == reported => relay.Complete(
                active with { Status = RelayCommandStatus.Verified, CompletedAt = now }, now),
            { Status: RelayCommandStatus.Acknowledged } active => relay.AttemptFailed(
                now, $"The relay reads {reported}, not {active.Target}."),
            _ => Settle(relay, now),
        };
    }

    /// <summary>The passage of time: fails the in-flight attempt whose deadline has passed, then gives the next step.</summary>
    public RelayTransition Advance(DateTimeOffset now) => Active switch
    {
        { Status: RelayCommandStatus.Sent } sent when now >= sent.DueAt =>
            AttemptFailed(now, $"No acknowledgement within {Options.AcknowledgementTimeout.TotalSeconds:0} s."),
        { Status: RelayCommandStatus.Acknowledged } acked when now >= ReadBackDeadline(acked) =>
            AttemptFailed(now, $"The relay state was not confirmed within {Options.ReadBackTimeout.TotalSeconds:0} s of the read-back."),
        _ => Settle(this, now),
    };

    private DateTimeOffset ReadBackDeadline(RelayCommand acknowledged) => acknowledged.DueAt + Options.ReadBackTimeout;

    private RelayTransition AttemptFailed(DateTimeOffset now, string reason)
    {
        var active = Active!;
        if (active.Attempts >= Options.MaxAttempts)
        {
            return Complete(active with { Status = RelayCommandStatus.Failed, CompletedAt = now, LastFailure = reason }, now);
        }

        var retry = active with
        {
            Status = RelayCommandStatus.Queued,
            DueAt = now + Options.BackoffAfter(active.Attempts),
            LastFailure = reason,
        };
        return Settle(this with { Active = retry }, now);
    }

    /// <summary>Ends the active command and starts the pending one, if any.</summary>
    private RelayTransition Complete(RelayCommand completed, DateTimeOffset now)
    {
        var next = Pending is null ? null : Pending with { DueAt = Pending.DueAt > now ? Pending.DueAt : now };
        return Settle(this with { Active = next, Pending = null, LastCompleted = completed }, now, completed: completed);
    }

    private static RelayCommand Supersede(RelayCommand command, DateTimeOffset now) =>
        command with { Status = RelayCommandStatus.Superseded, CompletedAt = now };

    private static RelayTransition Settle(
        MeterRelay relay, DateTimeOffset now, RelayCommand? completed = null, RelayCommand? superseded = null) =>
        new(relay, relay.NextStep(now), completed, superseded);
}
