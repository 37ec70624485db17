using System.Data.Common;
using System.Threading.Channels;
using Kilowallet.Domain.Safety;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Storage;

namespace Kilowallet.Server.Alarms;

/// <summary>
/// Raises and clears alarms from detector signals, deduplicated by the database (one open alarm per
/// cause: a repeat updates it), tells operators about new ones through the notification outbox in
/// the same transaction, and streams every change to live screens.
/// </summary>
public sealed class AlarmService(StorageConnections connections, NotificationOutbox notifications, TimeProvider clock, ILogger<AlarmService> logger)
{
    private readonly List<Channel<AlarmChange>> _subscribers = [];
    private readonly Lock _gate = new();

    public sealed record AlarmChange(long Id, string Key, AlarmType Type, AlarmSeverity Severity, string Detail, bool Open, DateTimeOffset At);

    /// <summary>Applies detector signals in one transaction; returns the alarms that were newly raised.</summary>
    public async Task<int> ApplyAsync(IReadOnlyList<AlarmSignal> signals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (signals.Count == 0)
        {
            return 0;
        }

        var changes = new List<AlarmChange>();
        var raised = await connections.WriteAsync(
            async (connection, transaction) =>
            {
                var count = 0;
                foreach (var signal in signals)
                {
                    if (await ApplyAsync(connection, transaction, signal, cancellationToken) is { } change)
                    {
                        changes.Add(change);
                        count += change.Open ? 1 : 0;
                    }
                }

                return count;
            },
            cancellationToken);
        Publish(changes);
        return raised;
    }

    /// <summary>Applies one signal inside the caller's transaction (e.g. a quarantine with the reading that caused it).</summary>
    public async Task<AlarmChange?> ApplyAsync(DbConnection connection, DbTransaction transaction, AlarmSignal signal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var key = signal.Key.ToString();
        if (signal.Kind == AlarmSignalKind.Clear)
        {
            await using var clear = connection.CreateCommand();
            clear.Transaction = transaction;
            clear.CommandText = "UPDATE alarms SET cleared_at = @at, cleared_by = @by WHERE key = @key AND cleared_at IS NULL RETURNING id";
            clear.AddParameter("@at", signal.At.ToUnixTimeMilliseconds());
            clear.AddParameter("@by", signal.By ?? "system");
            clear.AddParameter("@key", key);
            return await clear.ExecuteScalarAsync(cancellationToken) is { } id and not DBNull
                ? new AlarmChange(Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture), key, signal.Key.Type, signal.Severity, signal.Detail, false, signal.At)
                : null;
        }

        await using var raise = connection.CreateCommand();
        raise.Transaction = transaction;
        raise.CommandText = """
            INSERT INTO alarms (type, severity, source_kind, source_id, key, detail, raised_at, last_seen_at, occurrences)
            VALUES (@type, @severity, @kind, @source, @key, @detail, @at, @at, 1)
            ON CONFLICT (key) WHERE cleared_at IS NULL DO UPDATE SET last_seen_at = excluded.last_seen_at, occurrences = alarms.occurrences + 1, detail = excluded.detail
            RETURNING id, occurrences
            """;
        raise.AddParameter("@type", (int)signal.Key.Type);
        raise.AddParameter("@severity", (int)signal.Severity);
        raise.AddParameter("@kind", (int)signal.Key.Source.Kind);
        raise.AddParameter("@source", signal.Key.Source.Id);
        raise.AddParameter("@key", key);
        raise.AddParameter("@detail", signal.Detail.Length > 500 ? signal.Detail[..500] : signal.Detail);
        raise.AddParameter("@at", signal.At.ToUnixTimeMilliseconds());
        long alarmId;
        int occurrences;
        await using (var reader = await raise.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            alarmId = reader.GetInt64(0);
            occurrences = reader.GetInt32(1);
        }

        if (occurrences > 1)
        {
            return null;
        }

        logger.LogWarning("Alarm raised: {Key} — {Detail}", key, signal.Detail);
        await notifications.EnqueueAsync(connection, transaction, NotificationRequest.OperatorAlarm(signal.Key, signal.At, signal.Key.Source.ToString(), signal.Detail), cancellationToken);
        return new AlarmChange(alarmId, key, signal.Key.Type, signal.Severity, signal.Detail, true, signal.At);
    }

    public async Task<bool> AcknowledgeAsync(long id, string by, CancellationToken cancellationToken)
    {
        var changed = await connections.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "UPDATE alarms SET acknowledged_at = @at, acknowledged_by = @by WHERE id = @id AND acknowledged_at IS NULL";
                command.AddParameter("@at", clock.GetUtcNow().ToUnixTimeMilliseconds());
                command.AddParameter("@by", by);
                command.AddParameter("@id", id);
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);
        if (changed)
        {
            Publish([new AlarmChange(id, string.Empty, default, default, "acknowledged by " + by, true, clock.GetUtcNow())]);
        }

        return changed;
    }

    /// <summary>A stream of alarm changes for one live screen; dispose to stop.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<AlarmChange>(new BoundedChannelOptions(500) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        return new Subscription(channel, () =>
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        });
    }

    /// <summary>Tells live screens about changes committed by a caller's own transaction.</summary>
    public void Publish(IEnumerable<AlarmChange> changes)
    {
        Channel<AlarmChange>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var change in changes)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Writer.TryWrite(change);
            }
        }
    }

    public sealed class Subscription(Channel<AlarmChange> channel, Action unsubscribe) : IDisposable
    {
        public ChannelReader<AlarmChange> Reader => channel.Reader;

        public void Dispose()
        {
            unsubscribe();
            channel.Writer.TryComplete();
        }
    }
}
