using System.Data.Common;
using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Domain.Control;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Storage;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Control;

/// <summary>
/// The prepaid control loop. It wakes when a committed money movement or billing batch may have crossed
/// a threshold (<see cref="BalanceSignal"/>; the crossings are read from balance_events through its own
/// cursor "control"), when something else about a meter changed (<see cref="ControlWake"/>: a safety
/// hold, an operator's lock, an exemption, friendly hours), when a deferred cut falls due, and at least
/// every <see cref="ControlOptions.SweepInterval"/> for every meter. For each meter concerned it asks
/// <see cref="ControlPolicy.Decide"/> what the relay should do, stores the decision in meter_control,
/// and hands a command to <see cref="RelayCommandService"/>.
/// </summary>
public sealed class ControlService(
    ControlFactsLoader facts,
    MeterDirectory directory,
    RelayCommandService relays,
    StorageConnections connections,
    BalanceSignal balanceSignal,
    ControlWake wake,
    LiveStateStore live,
    IOptions<ControlOptions> options,
    TimeProvider clock,
    ILogger<ControlService> logger) : BackgroundService
{
    /// <summary>This loop's cursor in consumer_cursors.</summary>
    public const string Consumer = "control";

    private const int EventBatch = 1_000;

    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly Lock _deferredGate = new();
    private readonly Dictionary<MeterId, DateTimeOffset> _deferred = [];
    private DateTimeOffset? _lastSweep;

    /// <summary>What the policy decided for a meter, the command it led to (its sequence), or why the command was refused.</summary>
    public sealed record MeterDecision(MeterId Meter, ControlDecision Decision, string Text, long? Command, string? Refusal);

    /// <summary>Decides now for <paramref name="meters"/> (after an operator's action) and issues their commands.</summary>
    public Task<IReadOnlyDictionary<MeterId, MeterDecision>> DecideAsync(IReadOnlyCollection<MeterId> meters, CancellationToken cancellationToken) =>
        PassAsync(full: false, [], [.. meters], cancellationToken);

    /// <summary>What the policy would do for a meter now, without acting (the control view); null for an unknown meter.</summary>
    public async Task<(MeterControlFacts Facts, ControlDecision Decision)?> PreviewAsync(MeterId meter, CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(meter, cancellationToken) is not { } context)
        {
            return null;
        }

        var loaded = await facts.LoadAsync([context], clock.GetUtcNow(), cancellationToken);
        var found = loaded[meter];
        return (found, ControlPolicy.Decide(found.Situation, options.Value.Policy));
    }

    public override void Dispose()
    {
        _pass.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        try
        {
            await relays.Ready.WaitAsync(stoppingToken);
            Task<bool>? balance = null;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RoundAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "A control pass failed; trying again at the next wake");
                }

                balance ??= balanceSignal.WaitAsync(Timeout.InfiniteTimeSpan, clock, stoppingToken);
                await WaitAsync(balance, stoppingToken);
                if (balance.IsCompleted)
                {
                    balance = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        var (all, meters) = wake.Take();
        var accounts = await ConsumeEventsAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var full = all || _lastSweep is null || now - _lastSweep >= options.Value.SweepInterval;
        await PassAsync(full, accounts, [.. meters], cancellationToken);
    }

    private async Task WaitAsync(Task<bool> balance, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var next = (_lastSweep ?? now) + options.Value.SweepInterval;
        lock (_deferredGate)
        {
            foreach (var due in _deferred.Values)
            {
                next = due < next ? due : next;
            }
        }

        if (next <= now)
        {
            return;
        }

        using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(balance, wake.WaitAsync(round.Token), Task.Delay(next - now, clock, round.Token));
        await round.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task<IReadOnlyDictionary<MeterId, MeterDecision>> PassAsync(
        bool full, HashSet<AccountId> accounts, HashSet<MeterId> meters, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            HashSet<MeterId> due;
            lock (_deferredGate)
            {
                due = _deferred.Where(d => d.Value <= now).Select(d => d.Key).ToHashSet();
            }

            var selected = (await directory.AllAsync(cancellationToken))
                .Where(ControlFactsLoader.IsControllable)
                .Where(m => full || meters.Contains(m.Id) || due.Contains(m.Id) || (m.Account is { } a && accounts.Contains(a)))
                .ToList();
            if (full)
            {
                _lastSweep = now;
            }

            if (selected.Count == 0)
            {
                return new Dictionary<MeterId, MeterDecision>();
            }

            var loaded = await facts.LoadAsync(selected, now, cancellationToken);
            var plans = new List<Plan>(loaded.Count);
            foreach (var meterFacts in loaded.Values)
            {
                try
                {
                    if (PlanFor(meterFacts, now) is { } plan)
                    {
                        plans.Add(plan);
                    }
                }
#pragma warning disable CA1031 // The error boundary of one meter: one bad configuration never stops the others' control.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    logger.LogError(ex, "Deciding the relay of meter {Meter} failed", meterFacts.Meter.Serial);
                }
            }

            lock (_deferredGate)
            {
                if (full)
                {
                    _deferred.Clear();
                }

                foreach (var plan in plans)
                {
                    if (plan.Decision.NotBefore is { } notBefore)
                    {
                        _deferred[plan.Meter.Id] = notBefore;
                    }
                    else
                    {
                        _deferred.Remove(plan.Meter.Id);
                    }
                }
            }

            var writes = plans.Where(p => p.Write).ToList();
            if (writes.Count > 0)
            {
                await connections.WriteAsync((connection, transaction) => WriteAsync(connection, transaction, writes, now, cancellationToken), cancellationToken);
            }

            var commands = plans.Where(p => p.Decision.CommandTarget is not null).Select(async plan =>
            {
                var decision = plan.Decision;
                logger.LogInformation("Meter {Serial}: {Decision}", plan.Meter.Serial, plan.Text);
                var result = await relays.RequestAsync(plan.Meter.Id, decision.CommandTarget!.Value, decision.Cause!.Value, plan.RequestedBy, plan.Text, cancellationToken);
                if (result.Refusal is { } refusal)
                {
                    logger.LogWarning("Meter {Serial}: the relay command was refused: {Refusal}", plan.Meter.Serial, refusal);
                }

                return (plan.Meter.Id, result);
            });
            var results = (await Task.WhenAll(commands)).ToDictionary(r => r.Item1, r => r.result);
            return plans.ToDictionary(
                p => p.Meter.Id,
                p => new MeterDecision(p.Meter.Id, p.Decision, p.Text, results.GetValueOrDefault(p.Meter.Id)?.Sequence, results.GetValueOrDefault(p.Meter.Id)?.Refusal));
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>The decision for one meter and what to store; null when the meter is left alone (its account is closed).</summary>
    private Plan? PlanFor(MeterControlFacts meterFacts, DateTimeOffset now)
    {
        if (!meterFacts.AccountOpen)
        {
            return null;
        }

        var decision = ControlPolicy.Decide(meterFacts.Situation, options.Value.Policy);
        var text = ControlText.Describe(decision, meterFacts.Zone);
        var row = meterFacts.Row;
        var state = new Stored(
            row?.Desired ?? RelayState.Closed,
            row?.Desired == RelayState.Open ? row.OpenedBy : null,
            row?.Commanded,
            row?.LastCommandAt,
            null);
        bool write;
        switch (decision.Action)
        {
            case ControlAction.TripNow or ControlAction.ReconnectNow:
                var target = decision.CommandTarget!.Value;
                state = new Stored(target, target == RelayState.Open ? decision.Cause : null, target, now, null);
                write = true;
                break;
            case ControlAction.TripDeferred:
                state = state with { NextDecisionAt = decision.NotBefore };
                write = row?.NextDecisionAt != decision.NotBefore || row?.LastDecision != text;
                break;
            default:
                write = row is not null
                    ? row.LastDecision != text || row.NextDecisionAt is not null
                    : decision.Hold is not (ControlHold.None or ControlHold.AwaitingRelay);
                break;
        }

        var requestedBy = decision.Cause == RelayCause.Operator ? row?.LockedBy ?? "operator" : RelayCommandService.System;
        return new Plan(meterFacts.Meter, decision, text, state, write, requestedBy);
    }

    private async Task<int> WriteAsync(DbConnection connection, DbTransaction transaction, List<Plan> plans, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO meter_control (meter_id, desired, opened_by, commanded, reported, operator_lock, safety_hold, last_command_at, next_decision_at, last_decision, last_decision_at)
            VALUES (@meter, @desired, @openedBy, @commanded, @reported, 0, 0, @lastCommand, @next, @decision, @at)
            ON CONFLICT (meter_id) DO UPDATE SET
                desired = excluded.desired, opened_by = excluded.opened_by, commanded = excluded.commanded, last_command_at = excluded.last_command_at,
                next_decision_at = excluded.next_decision_at, last_decision = excluded.last_decision, last_decision_at = excluded.last_decision_at
            """;
        var meter = command.AddParameter("@meter", 0L);
        var desired = command.AddParameter("@desired", 0);
        var openedBy = command.AddParameter("@openedBy", null);
        var commanded = command.AddParameter("@commanded", null);
        var reported = command.AddParameter("@reported", 0);
        var lastCommand = command.AddParameter("@lastCommand", null);
        var next = command.AddParameter("@next", null);
        var decision = command.AddParameter("@decision", null);
        command.AddParameter("@at", now.ToUnixTimeMilliseconds());
        foreach (var plan in plans)
        {
            meter.Value = plan.Meter.Id.Value;
            desired.Value = (int)plan.State.Desired;
            openedBy.Value = plan.State.OpenedBy is { } cause ? (int)cause : DBNull.Value;
            commanded.Value = plan.State.Commanded is { } target ? (int)target : DBNull.Value;
            reported.Value = (int)live.Get(plan.Meter.Id).Relay;
            lastCommand.Value = plan.State.LastCommandAt is { } last ? last.ToUnixTimeMilliseconds() : DBNull.Value;
            next.Value = plan.State.NextDecisionAt is { } at ? at.ToUnixTimeMilliseconds() : DBNull.Value;
            decision.Value = plan.Text.Length <= 300 ? plan.Text : plan.Text[..300];
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return plans.Count;
    }

    /// <summary>Reads the balance crossings after this loop's cursor; returns the accounts concerned.</summary>
    private async Task<HashSet<AccountId>> ConsumeEventsAsync(CancellationToken cancellationToken)
    {
        var accounts = new HashSet<AccountId>();
        while (true)
        {
            var read = await connections.WriteAsync(
                async (connection, transaction) =>
                {
                    await using (var create = connection.CreateCommand())
                    {
                        create.Transaction = transaction;
                        create.CommandText = "INSERT INTO consumer_cursors (consumer, position) VALUES (@consumer, 0) ON CONFLICT (consumer) DO NOTHING";
                        create.AddParameter("@consumer", Consumer);
                        await create.ExecuteNonQueryAsync(cancellationToken);
                    }

                    long position;
                    await using (var locking = connection.CreateCommand())
                    {
                        locking.Transaction = transaction;
                        locking.CommandText = "UPDATE consumer_cursors SET position = position WHERE consumer = @consumer RETURNING position";
                        locking.AddParameter("@consumer", Consumer);
                        position = Convert.ToInt64(await locking.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
                    }

                    var last = position;
                    var count = 0;
                    await using (var events = connection.CreateCommand())
                    {
                        events.Transaction = transaction;
                        events.CommandText = "SELECT id, account_id FROM balance_events WHERE id > @position ORDER BY id LIMIT @limit";
                        events.AddParameter("@position", position);
                        events.AddParameter("@limit", EventBatch);
                        await using var reader = await events.ExecuteReaderAsync(cancellationToken);
                        while (await reader.ReadAsync(cancellationToken))
                        {
                            last = reader.GetInt64(0);
                            accounts.Add(new AccountId(reader.GetInt64(1)));
                            count++;
                        }
                    }

                    // An event committed late with a lower id (PostgreSQL hands ids out before commit) is not lost:
                    // the periodic sweep decides on every meter from the balances themselves.
                    if (last != position)
                    {
                        await using var advance = connection.CreateCommand();
                        advance.Transaction = transaction;
                        advance.CommandText = "UPDATE consumer_cursors SET position = @position WHERE consumer = @consumer";
                        advance.AddParameter("@position", last);
                        advance.AddParameter("@consumer", Consumer);
                        await advance.ExecuteNonQueryAsync(cancellationToken);
                    }

                    return count;
                },
                cancellationToken);
            if (read < EventBatch)
            {
                return accounts;
            }
        }
    }

    /// <summary>The control columns a decision stores.</summary>
    private sealed record Stored(RelayState Desired, RelayCause? OpenedBy, RelayState? Commanded, DateTimeOffset? LastCommandAt, DateTimeOffset? NextDecisionAt);

    private sealed record Plan(MeterContext Meter, ControlDecision Decision, string Text, Stored State, bool Write, string RequestedBy);
}
