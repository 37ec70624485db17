using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Threading.Channels;
using Kilowallet.Domain;
using Kilowallet.Domain.Control;
using Kilowallet.Domain.Notifications;
using Kilowallet.Domain.Safety;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;
using Kilowallet.Protocols.Transport;
using Kilowallet.Server.Alarms;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Storage;
using Microsoft.Extensions.Options;
using RelayState = Kilowallet.Domain.Control.RelayState;
using WireRelayState = Kilowallet.Protocols.Profiles.RelayState;

namespace Kilowallet.Server.Control;

/// <summary>
/// Carries out relay commands, one <see cref="MeterRelay"/> state machine per meter: at most one command
/// in flight per meter, a newer wish waiting or superseding an unsent one, retries with backoff, failure
/// after the last attempt (relay-command-failed alarm). A command is pushed at once through
/// <see cref="AcquisitionService.RelayAsync"/> (ahead of polls on its bus, or over MQTT) and verified by
/// the relay state read back. Every transition is logged in relay_commands before the next step is
/// taken; tenants are told when a cut or a reconnection is verified.
/// </summary>
/// <remarks>
/// One loop owns every state machine (no locks): requests, exchange results and timers arrive as
/// inputs; the writes of one round go in one transaction, then the round's exchanges start. A command
/// left unfinished by a restart is marked superseded and issued again.
/// </remarks>
public sealed class RelayCommandService(
    StorageConnections connections,
    MeterDirectory directory,
    AcquisitionService acquisition,
    LiveStateStore live,
    AlarmService alarms,
    NotificationOutbox outbox,
    IOptions<ControlOptions> options,
    TimeProvider clock,
    ILogger<RelayCommandService> logger) : BackgroundService
{
    /// <summary>The requester recorded for commands the control policy issues.</summary>
    public const string System = "system";

    private static readonly TimeSpan AcquisitionStartTimeout = TimeSpan.FromSeconds(30);

    private readonly Channel<Input> _inputs = Channel.CreateUnbounded<Input>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<MeterId, Slot> _slots = [];
    private readonly Dictionary<MeterId, long> _lastSequences = [];
    private readonly ConcurrentDictionary<MeterId, RelayState> _verified = new();
    private readonly List<Channel<RelayCommandUpdate>> _subscribers = [];
    private readonly Lock _subscribersGate = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _stopping;

    /// <summary>Completes once unfinished commands of a previous run have been taken up again.</summary>
    public Task Ready => _ready.Task;

    /// <summary>
    /// Asks for <paramref name="meter"/>'s relay to be in <paramref name="target"/>. Returns once the
    /// command is logged (queued or already sent), not when it is verified. A meter feeding its own
    /// gateway is never opened, whoever asks.
    /// </summary>
    public async Task<RelayRequestResult> RequestAsync(
        MeterId meter, RelayState target, RelayCause cause, string requestedBy, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        var request = new RequestInput(meter, target, cause, requestedBy, reason, new TaskCompletionSource<RelayRequestResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_inputs.Writer.TryWrite(request))
        {
            return new RelayRequestResult(null, "Relay control is not running on this node (Control:Enabled is false or the server is stopping).");
        }

        return await request.Result.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The target of the meter's last verified command (for the relay integrity check); null if none.</summary>
    public RelayState? VerifiedTarget(MeterId meter) => _verified.TryGetValue(meter, out var state) ? state : null;

    /// <summary>A stream of committed status changes; dispose to stop.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<RelayCommandUpdate>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_subscribersGate)
        {
            _subscribers.Add(channel);
        }

        return new Subscription(channel, () =>
        {
            lock (_subscribersGate)
            {
                _subscribers.Remove(channel);
            }
        });
    }

    /// <summary>The protocol action for a target: trip, or close (close-allowed on meters whose profile needs the button).</summary>
    public static RelayAction ActionFor(MeterContext meter, RelayState target)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return target == RelayState.Open ? RelayAction.Trip
            : meter.Profile.CloseMode == Protocols.Profiles.CloseMode.CloseAllowed ? RelayAction.CloseAllowed
            : RelayAction.Close;
    }

    public static string ActionCode(RelayAction action) => action switch
    {
        RelayAction.Trip => "trip",
        RelayAction.CloseAllowed => "close_allowed",
        _ => "close",
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        if (!options.Value.Enabled)
        {
            _inputs.Writer.TryComplete();
            _ready.TrySetResult();
            return;
        }

        try
        {
            await acquisition.Started.WaitAsync(AcquisitionStartTimeout, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await ResumeWithRetriesAsync(stoppingToken);
            _ready.TrySetResult();
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var batch = new Batch();
                    while (_inputs.Reader.TryRead(out var input))
                    {
                        await HandleAsync(input, batch, stoppingToken);
                    }

                    AdvanceDue(batch);
                    if (!batch.IsEmpty)
                    {
                        await CommitAsync(batch, stoppingToken);
                    }

                    await WaitForWorkAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "A round of relay commands failed; carrying on");
                    await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _inputs.Writer.TryComplete();
            while (_inputs.Reader.TryRead(out var left))
            {
                (left as RequestInput)?.Result.TrySetResult(new RelayRequestResult(null, "The server is stopping."));
            }

            _ready.TrySetResult();
        }
    }

    private async Task HandleAsync(Input input, Batch batch, CancellationToken cancellationToken)
    {
        try
        {
            switch (input)
            {
                case RequestInput request:
                    await HandleRequestAsync(request, batch, cancellationToken);
                    break;
                case SendDone sent:
                    HandleSent(sent, batch);
                    break;
                case ReadDone read:
                    HandleRead(read, batch);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The error boundary of one meter: a bad meter never stops the others' commands.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Relay command handling failed for meter {Meter}", input.Meter);
            if (input is RequestInput request)
            {
                request.Result.TrySetResult(new RelayRequestResult(null, "The command could not be queued: " + ex.Message));
            }

            if (_slots.TryGetValue(input.Meter, out var slot))
            {
                slot.Busy = false;
                slot.WakeAt = clock.GetUtcNow() + options.Value.ReadBackDelay;
            }
        }
    }

    private async Task HandleRequestAsync(RequestInput request, Batch batch, CancellationToken cancellationToken)
    {
        var meter = await directory.FindAsync(request.Meter, cancellationToken);
        if (meter is null)
        {
            request.Result.TrySetResult(new RelayRequestResult(null, $"There is no meter {request.Meter}."));
            return;
        }

        if (request.Target == RelayState.Open && meter.FeedsOwnGateway)
        {
            request.Result.TrySetResult(new RelayRequestResult(null, $"Meter {meter.Serial} feeds its own gateway or DTU and is never cut."));
            return;
        }

        var slot = SlotOf(meter.Id);
        slot.Meter = meter;
        var now = clock.GetUtcNow();
        var before = slot.Relay.LastSequence;
        var transition = slot.Relay.Request(request.Target, request.Cause, request.RequestedBy, now);
        if (transition.Relay.LastSequence > before)
        {
            slot.Extra(transition.Relay.LastSequence).Reason = Trim(request.Reason, 500);
        }

        Apply(slot, transition, batch, now);
        var sequence = slot.Relay.Pending?.Target == request.Target ? slot.Relay.Pending.Sequence
            : slot.Relay.Active?.Target == request.Target ? slot.Relay.Active.Sequence
            : slot.Relay.LastCompleted?.Sequence;
        batch.AfterCommit.Add(() => request.Result.TrySetResult(new RelayRequestResult(sequence, null)));
    }

    private void HandleSent(SendDone done, Batch batch)
    {
        if (!_slots.TryGetValue(done.Meter, out var slot) || slot.Relay.Active is not { Status: RelayCommandStatus.Sent } active || active.Sequence != done.Sequence)
        {
            return;
        }

        slot.Busy = false;
        var now = clock.GetUtcNow();
        var extra = slot.Extra(active.Sequence);
        extra.Action = ActionCode(done.Action);
        var result = done.Result;
        if (!result.IsSuccess)
        {
            var reason = $"{result.Status}: {result.Detail ?? "no detail"}";
            logger.LogInformation("Relay command #{Sequence} of meter {Meter} attempt {Attempt} failed: {Reason}", active.Sequence, done.Meter, active.Attempts, reason);
            Apply(slot, slot.Relay.Rejected(now, reason), batch, now);
            return;
        }

        extra.ReadBack = Report(result.ReadBack);
        var readBack = Domain(result.ReadBack);
        var closeAllowed = done.Action == RelayAction.CloseAllowed;
        var verified = closeAllowed || readBack == active.Target;
        extra.Note = closeAllowed ? "Close allowed: the relay closes when the tenant presses the meter's button."
            : verified ? null
            : $"Read {result.ReadBack} right after the command; reading again.";
        Apply(slot, slot.Relay.Acknowledged(now), batch, now);
        if (verified)
        {
            // All a close-allowed meter can confirm is that it accepted the command; the relay closes when the tenant presses.
            Apply(slot, slot.Relay.ReadBack(now, closeAllowed ? RelayState.Closed : readBack!.Value), batch, now);
        }
    }

    private void HandleRead(ReadDone done, Batch batch)
    {
        if (!_slots.TryGetValue(done.Meter, out var slot) || slot.Relay.Active is not { Status: RelayCommandStatus.Acknowledged } active || active.Sequence != done.Sequence)
        {
            return;
        }

        slot.Busy = false;
        var now = clock.GetUtcNow();
        if (done.State is { } state)
        {
            slot.Extra(active.Sequence).ReadBack = state == RelayState.Open ? RelayReport.Open : RelayReport.Closed;
            Apply(slot, slot.Relay.ReadBack(now, state), batch, now);
            return;
        }

        // Nothing readable yet: try again shortly; the state machine fails the attempt at its deadline.
        slot.WakeAt = now + (options.Value.ReadBackDelay > TimeSpan.FromMilliseconds(200) ? options.Value.ReadBackDelay : TimeSpan.FromMilliseconds(200));
    }

    private void AdvanceDue(Batch batch)
    {
        var now = clock.GetUtcNow();
        foreach (var slot in _slots.Values)
        {
            if (slot.Busy || slot.WakeAt is not { } due || due > now)
            {
                continue;
            }

            try
            {
                slot.WakeAt = null;
                Apply(slot, slot.Relay.Advance(now), batch, now);
            }
#pragma warning disable CA1031 // The error boundary of one meter.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Advancing the relay command of meter {Meter} failed", slot.Id);
            }
        }
    }

    /// <summary>Takes a transition: logs what changed, then the next step (a send, a read-back, or a wait).</summary>
    private void Apply(Slot slot, RelayTransition transition, Batch batch, DateTimeOffset now)
    {
        slot.Relay = transition.Relay;
        if (transition.Superseded is { } superseded)
        {
            batch.Save(slot, superseded);
        }

        if (transition.Completed is { } completed)
        {
            batch.Save(slot, completed);
            Completed(slot, completed, batch);
        }

        if (transition.Relay.Active is { } active)
        {
            batch.Save(slot, active);
        }

        if (transition.Relay.Pending is { } pending)
        {
            batch.Save(slot, pending);
        }

        switch (transition.Step.Kind)
        {
            case RelayStepKind.Send:
                var sent = slot.Relay.Sent(now);
                slot.Relay = sent.Relay;
                var command = sent.Relay.Active!;
                batch.Save(slot, command);
                slot.Busy = true;
                slot.WakeAt = null;
                batch.AfterCommit.Add(() => StartSend(slot, command));
                break;
            case RelayStepKind.ReadBack:
                slot.Busy = true;
                slot.WakeAt = null;
                var acknowledged = slot.Relay.Active!;
                batch.AfterCommit.Add(() => StartReadBack(slot, acknowledged));
                break;
            case RelayStepKind.Wait:
                slot.WakeAt = transition.Step.At;
                break;
            default:
                slot.WakeAt = null;
                break;
        }
    }

    private void Completed(Slot slot, RelayCommand command, Batch batch)
    {
        var meter = slot.Meter;
        if (command.Status == RelayCommandStatus.Verified)
        {
            _verified[slot.Id] = command.Target;
            var extra = slot.Extra(command.Sequence);
            if (meter is { Account: { } account, Purpose: MeterPurpose.Tenant } && TenantNotice(command, extra) is { } kind)
            {
                batch.Notifications.Add(NotificationRequest.Relay(kind, account, meter.Id, command.Sequence, command.CompletedAt!.Value));
            }

            return;
        }

        if (command.Status == RelayCommandStatus.Failed)
        {
            var what = command.Target == RelayState.Open ? "open" : "close";
            logger.LogWarning("Relay command #{Sequence} to {What} meter {Meter} failed after {Attempts} attempts: {Reason}", command.Sequence, what, meter?.Serial ?? slot.Id.ToString(), command.Attempts, command.LastFailure);
            batch.Alarms.Add(AlarmSignal.Raise(
                AlarmType.RelayCommandFailed,
                AlarmSource.Meter(slot.Id),
                command.CompletedAt!.Value,
                Trim(string.Create(CultureInfo.InvariantCulture, $"Command #{command.Sequence} to {what} the relay of {meter?.Serial ?? slot.Id.ToString()} ({Code(command.Cause)}) failed after {command.Attempts} attempts: {command.LastFailure}"), 500)!));
        }
    }

    /// <summary>What to tell the tenant about a verified command: the cut for credit, or the reconnection.</summary>
    private static NotificationKind? TenantNotice(RelayCommand command, Extra extra) => command switch
    {
        { Target: RelayState.Open, Cause: RelayCause.BalanceExhausted } => NotificationKind.PowerCut,
        { Target: RelayState.Closed, Cause: RelayCause.BalanceRestored or RelayCause.SafetyReleased or RelayCause.KeepPower or RelayCause.Operator } =>
            extra.Action == ActionCode(RelayAction.CloseAllowed) ? NotificationKind.ReconnectPressButton : NotificationKind.Reconnected,
        _ => null,
    };

    private void StartSend(Slot slot, RelayCommand command)
    {
        var meter = slot.Meter!;
        var action = ActionFor(meter, command.Target);
        _ = Task.Run(
            async () =>
            {
                RelayCommandResult result;
                try
                {
                    using var timeout = new CancellationTokenSource(options.Value.ExchangeTimeout, TimeProvider.System);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping, timeout.Token);
                    result = await acquisition.RelayAsync(meter, action, linked.Token);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (OperationCanceledException)
                {
                    result = new RelayCommandResult(ExchangeStatus.Timeout, WireRelayState.Unknown, $"no answer within {options.Value.ExchangeTimeout.TotalSeconds:0.#} s");
                }
#pragma warning disable CA1031 // Whatever the transport throws is this attempt's failure.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    result = new RelayCommandResult(ExchangeStatus.ConnectionFailed, WireRelayState.Unknown, ex.Message);
                }

                _inputs.Writer.TryWrite(new SendDone(meter.Id, command.Sequence, action, result));
            },
            CancellationToken.None);
    }

    private void StartReadBack(Slot slot, RelayCommand command)
    {
        var meter = slot.Meter!;
        var sentAt = command.LastSentAt ?? command.QueuedAt;
        _ = Task.Run(
            async () =>
            {
                RelayState? state = null;
                try
                {
                    using var timeout = new CancellationTokenSource(options.Value.ExchangeTimeout, TimeProvider.System);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping, timeout.Token);
                    var snapshot = await acquisition.ReadNowAsync(meter, linked.Token);
                    if (snapshot is not null)
                    {
                        state = Domain(snapshot.Relay);
                    }
                    else if (live.Get(meter.Id) is { At: { } at } known && at >= sentAt)
                    {
                        // A 4G meter cannot be read on demand: its latest report after the command stands in.
                        state = known.Relay switch
                        {
                            RelayReport.Open => RelayState.Open,
                            RelayReport.Closed => RelayState.Closed,
                            _ => null,
                        };
                    }
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A failed read-back is retried until the state machine's deadline.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    logger.LogDebug(ex, "Reading back the relay of meter {Meter} failed", meter.Serial);
                }

                _inputs.Writer.TryWrite(new ReadDone(meter.Id, command.Sequence, state));
            },
            CancellationToken.None);
    }

    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var slot in _slots.Values)
        {
            if (!slot.Busy && slot.WakeAt is { } at && (next is null || at < next))
            {
                next = at;
            }
        }

        if (next is { } due && due <= now)
        {
            return;
        }

        using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = _inputs.Reader.WaitToReadAsync(round.Token).AsTask();
        var timer = next is { } wake ? Task.Delay(wake - now, clock, round.Token) : Task.Delay(Timeout.InfiniteTimeSpan, round.Token);
        var first = await Task.WhenAny(input, timer);
        await round.CancelAsync();
        if (first == input && input.IsCompletedSuccessfully && !input.Result)
        {
            // The channel was completed: the service is stopping.
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task CommitAsync(Batch batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; batch.HasWrites; attempt++)
        {
            try
            {
                var changes = await connections.WriteAsync((connection, transaction) => WriteAsync(connection, transaction, batch, cancellationToken), cancellationToken);
                alarms.Publish(changes);
                Publish(batch);
                break;
            }
            catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= 3)
                {
                    // The commands still go out: cutting or restoring supply on time matters more than its log.
                    logger.LogError(ex, "Logging {Count} relay command changes failed {Attempts} times; carrying on without", batch.Rows.Count, attempt);
                    break;
                }

                logger.LogWarning(ex, "Logging relay command changes failed; retrying");
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), clock, cancellationToken);
            }
        }

        foreach (var action in batch.AfterCommit)
        {
            action();
        }
    }

    private async Task<List<AlarmService.AlarmChange>> WriteAsync(DbConnection connection, DbTransaction transaction, Batch batch, CancellationToken cancellationToken)
    {
        if (batch.Rows.Count > 0)
        {
            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO relay_commands (meter_id, sequence, target, action, cause, requested_by, reason, status, attempts, queued_at, sent_at, last_sent_at,
                                            acknowledged_at, verified_at, failed_at, completed_at, latency_ms, read_back, error)
                VALUES (@meter, @sequence, @target, @action, @cause, @by, @reason, @status, @attempts, @queued, @sent, @lastSent, @acked, @verified, @failed, @completed, @latency, @readBack, @error)
                ON CONFLICT (meter_id, sequence) DO UPDATE SET
                    action = excluded.action, status = excluded.status, attempts = excluded.attempts, sent_at = excluded.sent_at, last_sent_at = excluded.last_sent_at,
                    acknowledged_at = excluded.acknowledged_at, verified_at = excluded.verified_at, failed_at = excluded.failed_at, completed_at = excluded.completed_at,
                    latency_ms = excluded.latency_ms, read_back = excluded.read_back, error = excluded.error
                """;
            var p = new[]
            {
                upsert.AddParameter("@meter", 0L), upsert.AddParameter("@sequence", 0L), upsert.AddParameter("@target", 0), upsert.AddParameter("@action", null),
                upsert.AddParameter("@cause", 0), upsert.AddParameter("@by", string.Empty), upsert.AddParameter("@reason", null), upsert.AddParameter("@status", 0),
                upsert.AddParameter("@attempts", 0), upsert.AddParameter("@queued", 0L), upsert.AddParameter("@sent", null), upsert.AddParameter("@lastSent", null),
                upsert.AddParameter("@acked", null), upsert.AddParameter("@verified", null), upsert.AddParameter("@failed", null), upsert.AddParameter("@completed", null),
                upsert.AddParameter("@latency", null), upsert.AddParameter("@readBack", null), upsert.AddParameter("@error", null),
            };
            foreach (var row in batch.Rows.Values)
            {
                var c = row.Command;
                p[0].Value = row.Meter.Value;
                p[1].Value = c.Sequence;
                p[2].Value = (int)c.Target;
                p[3].Value = (object?)row.Action ?? DBNull.Value;
                p[4].Value = (int)c.Cause;
                p[5].Value = Trim(c.RequestedBy, 128)!;
                p[6].Value = (object?)row.Reason ?? DBNull.Value;
                p[7].Value = (int)c.Status;
                p[8].Value = c.Attempts;
                p[9].Value = c.QueuedAt.ToUnixTimeMilliseconds();
                p[10].Value = Millis(c.FirstSentAt);
                p[11].Value = Millis(c.LastSentAt);
                p[12].Value = Millis(c.AcknowledgedAt);
                p[13].Value = Millis(c.Status == RelayCommandStatus.Verified ? c.CompletedAt : null);
                p[14].Value = Millis(c.Status == RelayCommandStatus.Failed ? c.CompletedAt : null);
                p[15].Value = Millis(c.CompletedAt);
                p[16].Value = c.Status == RelayCommandStatus.Verified && c.CompletedAt is { } done ? (long)(done - c.QueuedAt).TotalMilliseconds : DBNull.Value;
                p[17].Value = row.ReadBack is { } report ? (int)report : DBNull.Value;
                p[18].Value = (object?)Trim(c.LastFailure ?? row.Note ?? (c.Status == RelayCommandStatus.Superseded ? "Replaced by a newer command before it was sent." : null), 500) ?? DBNull.Value;
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var changes = new List<AlarmService.AlarmChange>();
        foreach (var signal in batch.Alarms)
        {
            if (await alarms.ApplyAsync(connection, transaction, signal, cancellationToken) is { } change)
            {
                changes.Add(change);
            }
        }

        foreach (var notification in batch.Notifications)
        {
            await outbox.EnqueueAsync(connection, transaction, notification, cancellationToken);
        }

        return changes;
    }

    private void Publish(Batch batch)
    {
        Channel<RelayCommandUpdate>[] subscribers;
        lock (_subscribersGate)
        {
            subscribers = [.. _subscribers];
        }

        if (subscribers.Length == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var row in batch.Rows.Values)
        {
            var update = new RelayCommandUpdate(row.Meter, row.Command.Sequence, row.Command.Target, row.Command.Status, row.Command.CompletedAt ?? now);
            foreach (var subscriber in subscribers)
            {
                subscriber.Writer.TryWrite(update);
            }
        }
    }

    private async Task ResumeWithRetriesAsync(CancellationToken cancellationToken)
    {
        for (var delay = TimeSpan.FromSeconds(1); ; delay = delay < TimeSpan.FromSeconds(30) ? delay * 2 : delay)
        {
            try
            {
                await ResumeAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Taking up unfinished relay commands failed; retrying in {Delay}", delay);
                await Task.Delay(delay, clock, cancellationToken);
            }
        }
    }

    /// <summary>
    /// After a restart: continues each meter's numbering, remembers the last verified targets, and issues
    /// again the commands a previous run left unfinished (or decided on without logging).
    /// </summary>
    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var reissue = new Dictionary<MeterId, (RelayState Target, RelayCause Cause, string By, string? Reason)>();
        await connections.WriteAsync(
            async (connection, transaction) =>
            {
                await using (var sequences = connection.CreateCommand())
                {
                    sequences.Transaction = transaction;
                    sequences.CommandText = "SELECT meter_id, MAX(sequence) FROM relay_commands GROUP BY meter_id";
                    await using var reader = await sequences.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        _lastSequences[new MeterId(reader.GetInt64(0))] = reader.GetInt64(1);
                    }
                }

                await using (var verified = connection.CreateCommand())
                {
                    verified.Transaction = transaction;
                    verified.CommandText = """
                        SELECT r.meter_id, r.target FROM relay_commands r
                        WHERE r.status = @verified AND r.sequence = (SELECT MAX(x.sequence) FROM relay_commands x WHERE x.meter_id = r.meter_id AND x.status = @verified)
                        """;
                    verified.AddParameter("@verified", (int)RelayCommandStatus.Verified);
                    await using var reader = await verified.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        _verified[new MeterId(reader.GetInt64(0))] = (RelayState)reader.GetInt32(1);
                    }
                }

                await using (var unfinished = connection.CreateCommand())
                {
                    unfinished.Transaction = transaction;
                    unfinished.CommandText = "SELECT meter_id, target, cause, requested_by, reason FROM relay_commands WHERE status IN (@queued, @sent, @acked) ORDER BY meter_id, sequence";
                    unfinished.AddParameter("@queued", (int)RelayCommandStatus.Queued);
                    unfinished.AddParameter("@sent", (int)RelayCommandStatus.Sent);
                    unfinished.AddParameter("@acked", (int)RelayCommandStatus.Acknowledged);
                    await using var reader = await unfinished.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        // The latest unfinished wish of a meter wins (ordered by sequence).
                        reissue[new MeterId(reader.GetInt64(0))] = ((RelayState)reader.GetInt32(1), (RelayCause)reader.GetInt32(2), reader.GetString(3), reader.GetNullableString(4));
                    }
                }

                await using (var interrupted = connection.CreateCommand())
                {
                    interrupted.Transaction = transaction;
                    interrupted.CommandText = "UPDATE relay_commands SET status = @superseded, completed_at = @at, error = @error WHERE status IN (@queued, @sent, @acked)";
                    interrupted.AddParameter("@superseded", (int)RelayCommandStatus.Superseded);
                    interrupted.AddParameter("@at", now.ToUnixTimeMilliseconds());
                    interrupted.AddParameter("@error", "Interrupted by a server restart; issued again.");
                    interrupted.AddParameter("@queued", (int)RelayCommandStatus.Queued);
                    interrupted.AddParameter("@sent", (int)RelayCommandStatus.Sent);
                    interrupted.AddParameter("@acked", (int)RelayCommandStatus.Acknowledged);
                    await interrupted.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var decided = connection.CreateCommand())
                {
                    decided.Transaction = transaction;
                    decided.CommandText = """
                        SELECT c.meter_id, c.commanded, c.opened_by,
                               (SELECT r.target FROM relay_commands r WHERE r.meter_id = c.meter_id ORDER BY r.sequence DESC LIMIT 1)
                        FROM meter_control c WHERE c.commanded IS NOT NULL
                        """;
                    await using var reader = await decided.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        var meter = new MeterId(reader.GetInt64(0));
                        var commanded = (RelayState)reader.GetInt32(1);
                        if (!reissue.ContainsKey(meter) && (reader.IsDBNull(3) || (RelayState)reader.GetInt32(3) != commanded))
                        {
                            var cause = reader.IsDBNull(2) ? (commanded == RelayState.Open ? RelayCause.BalanceExhausted : RelayCause.BalanceRestored) : (RelayCause)reader.GetInt32(2);
                            reissue[meter] = (commanded, commanded == RelayState.Closed && cause is RelayCause.BalanceExhausted ? RelayCause.BalanceRestored : cause, System, "Decided before a restart; issued after it.");
                        }
                    }
                }

                return 0;
            },
            cancellationToken);

        foreach (var (meter, (target, cause, by, reason)) in reissue)
        {
            logger.LogInformation("Meter {Meter}: issuing again the unfinished command to {Target}", meter, target);
            _inputs.Writer.TryWrite(new RequestInput(meter, target, cause, by, reason, new TaskCompletionSource<RelayRequestResult>(TaskCreationOptions.RunContinuationsAsynchronously)));
        }
    }

    private Slot SlotOf(MeterId meter)
    {
        if (!_slots.TryGetValue(meter, out var slot))
        {
            slot = new Slot(meter, MeterRelay.Create(options.Value.RelayCommands, lastSequence: _lastSequences.GetValueOrDefault(meter)));
            _slots[meter] = slot;
        }

        return slot;
    }

    private static RelayState? Domain(WireRelayState state) => state switch
    {
        WireRelayState.Open => RelayState.Open,
        WireRelayState.Closed => RelayState.Closed,
        _ => null,
    };

    private static RelayReport Report(WireRelayState state) => state switch
    {
        WireRelayState.Open => RelayReport.Open,
        WireRelayState.Closed => RelayReport.Closed,
        _ => RelayReport.Unknown,
    };

    private static object Millis(DateTimeOffset? at) => at is { } value ? value.ToUnixTimeMilliseconds() : DBNull.Value;

    private static string? Trim(string? text, int length) => text is null ? null : text.Length <= length ? text : text[..length];

    private static string Code(RelayCause cause) => ControlText.Code(cause);

    public sealed class Subscription(Channel<RelayCommandUpdate> channel, Action unsubscribe) : IDisposable
    {
        public ChannelReader<RelayCommandUpdate> Reader => channel.Reader;

        public void Dispose()
        {
            unsubscribe();
            channel.Writer.TryComplete();
        }
    }

    private abstract record Input(MeterId Meter);

    private sealed record RequestInput(MeterId Meter, RelayState Target, RelayCause Cause, string RequestedBy, string? Reason, TaskCompletionSource<RelayRequestResult> Result) : Input(Meter);

    private sealed record SendDone(MeterId Meter, long Sequence, RelayAction Action, RelayCommandResult Result) : Input(Meter);

    private sealed record ReadDone(MeterId Meter, long Sequence, RelayState? State) : Input(Meter);

    /// <summary>One meter's state machine and what the log needs beyond it.</summary>
    private sealed class Slot(MeterId id, MeterRelay relay)
    {
        private readonly Dictionary<long, Extra> _extras = [];

        public MeterId Id { get; } = id;

        public MeterRelay Relay { get; set; } = relay;

        public MeterContext? Meter { get; set; }

        /// <summary>When to advance the state machine; null when an event is awaited.</summary>
        public DateTimeOffset? WakeAt { get; set; }

        /// <summary>An exchange with the meter is under way.</summary>
        public bool Busy { get; set; }

        public Extra Extra(long sequence)
        {
            if (!_extras.TryGetValue(sequence, out var extra))
            {
                extra = new Extra();
                _extras[sequence] = extra;
                foreach (var old in _extras.Keys.Where(k => k < sequence - 8).ToList())
                {
                    _extras.Remove(old);
                }
            }

            return extra;
        }
    }

    private sealed class Extra
    {
        public string? Reason { get; set; }

        public string? Action { get; set; }

        public RelayReport? ReadBack { get; set; }

        public string? Note { get; set; }
    }

    private sealed record Row(MeterId Meter, RelayCommand Command, string? Action, string? Reason, RelayReport? ReadBack, string? Note);

    /// <summary>The writes of one round, committed together before the round's exchanges start.</summary>
    private sealed class Batch
    {
        public Dictionary<(MeterId, long), Row> Rows { get; } = [];

        public List<AlarmSignal> Alarms { get; } = [];

        public List<NotificationRequest> Notifications { get; } = [];

        public List<Action> AfterCommit { get; } = [];

        public bool HasWrites => Rows.Count > 0 || Alarms.Count > 0 || Notifications.Count > 0;

        public bool IsEmpty => !HasWrites && AfterCommit.Count == 0;

        public void Save(Slot slot, RelayCommand command)
        {
            var extra = slot.Extra(command.Sequence);
            Rows[(slot.Id, command.Sequence)] = new Row(slot.Id, command, extra.Action, extra.Reason, extra.ReadBack, extra.Note);
        }
    }
}
