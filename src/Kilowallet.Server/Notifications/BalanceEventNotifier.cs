using System.Data.Common;
using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Notifications;
using Kilowallet.Server.Storage;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// Reads the balance_events stream from its own cursor ("notifications" in consumer_cursors) and
/// turns threshold crossings into tenant messages (the domain decides which crossings notify). The
/// messages and the cursor are written in one transaction, so a crash neither loses an event nor
/// (with the outbox's deduplication keys) sends one twice; the cursor row is locked first, so two
/// nodes take turns.
/// </summary>
public sealed class BalanceEventNotifier(
    StorageConnections connections,
    NotificationOutbox outbox,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<BalanceEventNotifier> logger) : BackgroundService
{
    public const string Consumer = "notifications";

    private const int BatchSize = 200;

    /// <summary>Reads every event after the cursor that can be read now; returns how many events were consumed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var consumed = await connections.WriteAsync((connection, transaction) => ConsumeBatchAsync(connection, transaction, cancellationToken), cancellationToken);
            total += consumed;
            if (consumed < BatchSize)
            {
                return total;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkersEnabled)
        {
            return;
        }

        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Reading balance events for notifications failed; retrying in {Poll}", poll);
            }

            try
            {
                await Task.Delay(poll, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<int> ConsumeBatchAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var position = await LockCursorAsync(connection, transaction, cancellationToken);
        var events = new List<(long Id, AccountId Account, BalanceEvent Kind, DateTimeOffset At, long AvailableMinor)>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT id, account_id, kind, at, available_minor FROM balance_events WHERE id > @position ORDER BY id LIMIT @limit";
            read.AddParameter("@position", position);
            read.AddParameter("@limit", BatchSize);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add((reader.GetInt64(0), new AccountId(reader.GetInt64(1)), (BalanceEvent)reader.GetInt32(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetInt64(4)));
            }
        }

        var consumed = 0;
        var last = position;
        foreach (var each in events)
        {
            // An id skipped in the sequence may belong to a transaction that has not committed yet
            // (PostgreSQL hands out ids before commit); wait for it until the settle time has passed.
            if (each.Id != last + 1 && now - each.At < TimeSpan.FromSeconds(settings.EventSettleSeconds))
            {
                break;
            }

            if (NotificationRules.ForBalanceEvent(each.Kind) is { } kind)
            {
                if (now - each.At > TimeSpan.FromHours(settings.BalanceEventMaxAgeHours))
                {
                    logger.LogInformation("Balance event {Id} ({Kind} of account {Account}) is older than {Hours} h: not notified", each.Id, each.Kind, each.Account, settings.BalanceEventMaxAgeHours);
                }
                else
                {
                    var request = NotificationRequest.ForBalanceEvent(kind, each.Account, each.At, Money.FromMinorUnits(each.AvailableMinor));
                    await outbox.EnqueueAsync(connection, transaction, request, cancellationToken);
                }
            }

            last = each.Id;
            consumed++;
        }

        if (last != position)
        {
            await using var advance = connection.CreateCommand();
            advance.Transaction = transaction;
            advance.CommandText = "UPDATE consumer_cursors SET position = @position WHERE consumer = @consumer";
            advance.AddParameter("@position", last);
            advance.AddParameter("@consumer", Consumer);
            await advance.ExecuteNonQueryAsync(cancellationToken);
        }

        return consumed;
    }

    /// <summary>Creates the cursor at the start of the stream if it is new, and locks it for this transaction.</summary>
    private static async Task<long> LockCursorAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = "INSERT INTO consumer_cursors (consumer, position) VALUES (@consumer, 0) ON CONFLICT (consumer) DO NOTHING";
            create.AddParameter("@consumer", Consumer);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        // Updating the row takes its lock on PostgreSQL (SQLite's write transaction holds the whole file).
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE consumer_cursors SET position = position WHERE consumer = @consumer RETURNING position";
        command.AddParameter("@consumer", Consumer);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
