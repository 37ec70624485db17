using System.Data.Common;
using Kilowallet.Domain;
using Kilowallet.Domain.Notifications;
using Kilowallet.Server.Storage;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// Sends what is due in the outbox. Each pass claims small batches with a lease (one UPDATE that
/// only takes rows whose lease has run out, so two dispatchers on two nodes never hold the same
/// row), sends them one by one through their channel with a timeout, and marks each sent, due
/// again later (exponential backoff) or failed after the last attempt. A channel outage only
/// delays messages; a node that dies mid-batch leaves its rows to be claimed again when the lease
/// ends.
/// </summary>
public sealed class NotificationDispatcher(
    StorageConnections connections,
    IEnumerable<INotificationChannel> channels,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    private const int MaxBatchesPerPass = 1000;

    private readonly Dictionary<NotificationChannel, INotificationChannel> _channels = channels.ToDictionary(c => c.Channel);

    /// <summary>Sends every message that is due now (batch after batch) and returns what happened.</summary>
    public async Task<DispatchSummary> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = DispatchSummary.Empty;
        for (var batch = 0; batch < MaxBatchesPerPass; batch++)
        {
            var claimed = await ClaimAsync(cancellationToken);
            if (claimed.Count == 0)
            {
                break;
            }

            var summary = new DispatchSummary(claimed.Count, 0, 0, 0, 0);
            foreach (var message in claimed)
            {
                summary = summary.Add(await SendAsync(message, cancellationToken));
            }

            total = total.Add(summary);
        }

        return total;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var channel in _channels.Values.Where(c => !c.IsConfigured))
        {
            logger.LogInformation("Notifications: the {Channel} channel is not configured; its messages are skipped", channel.Channel);
        }

        return base.StartAsync(cancellationToken);
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
                logger.LogError(ex, "Notification dispatch failed; retrying in {Poll}", poll);
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

    private async Task<List<Claimed>> ClaimAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var token = Guid.NewGuid().ToString("N");
        return await connections.WriteAsync(
            async (connection, transaction) =>
            {
                // The outer conditions are checked again on each row as it is updated: on PostgreSQL a row
                // another dispatcher claimed meanwhile no longer matches and is left alone.
                await using (var claim = connection.CreateCommand())
                {
                    claim.Transaction = transaction;
                    claim.CommandText = """
                        UPDATE notification_outbox SET claimed_until = @lease, claim_token = @token, attempts = attempts + 1
                        WHERE id IN (SELECT id FROM notification_outbox
                                     WHERE status = 0 AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
                                     ORDER BY next_attempt_at, id LIMIT @batch)
                          AND status = 0 AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
                        """;
                    claim.AddParameter("@lease", (now + TimeSpan.FromSeconds(settings.LeaseSeconds)).ToUnixTimeMilliseconds());
                    claim.AddParameter("@token", token);
                    claim.AddParameter("@now", now.ToUnixTimeMilliseconds());
                    claim.AddParameter("@batch", settings.BatchSize);
                    if (await claim.ExecuteNonQueryAsync(cancellationToken) == 0)
                    {
                        return [];
                    }
                }

                return await ReadClaimedAsync(connection, transaction, token, cancellationToken);
            },
            cancellationToken);
    }

    private static async Task<List<Claimed>> ReadClaimedAsync(DbConnection connection, DbTransaction transaction, string token, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = """
            SELECT o.id, o.dedup_key, o.event_key, o.kind, o.channel, o.address, o.language, o.subject, o.body, o.attempts,
                   o.subscription_id, w.url, w.secret, w.active
            FROM notification_outbox o LEFT JOIN webhook_subscriptions w ON w.id = o.subscription_id
            WHERE o.claim_token = @token
            ORDER BY o.next_attempt_at, o.id
            """;
        read.AddParameter("@token", token);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        var claimed = new List<Claimed>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var channel = (NotificationChannel)reader.GetInt32(4);
            WebhookTarget? webhook = null;
            if (channel == NotificationChannel.Webhook && !reader.IsDBNull(11) && reader.GetFlag(13)
                && Uri.TryCreate(reader.GetString(11), UriKind.Absolute, out var url))
            {
                webhook = new WebhookTarget(reader.GetInt64(10), url, reader.GetString(12));
            }

            var message = new OutboundMessage(
                OutboundMessage.MessageIdFor(reader.GetString(1)),
                reader.GetString(2),
                NotificationRules.Code((NotificationKind)reader.GetInt32(3)),
                channel,
                reader.GetString(5),
                (Language)reader.GetInt32(6),
                reader.GetString(7),
                reader.GetString(8))
            {
                Webhook = webhook,
            };
            claimed.Add(new Claimed(reader.GetInt64(0), token, reader.GetInt32(9), message));
        }

        return claimed;
    }

    private async Task<DispatchSummary> SendAsync(Claimed claimed, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        DeliveryResult result;
        if (!_channels.TryGetValue(claimed.Message.Channel, out var channel) || !channel.IsConfigured)
        {
            result = DeliveryResult.NotConfigured($"The {claimed.Message.Channel} channel is not configured.");
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.SendTimeout);
            try
            {
                result = await channel.SendAsync(claimed.Message, timeout.Token);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutting down: give the row back at once rather than wait for the lease.
                await ReleaseAsync(claimed, CancellationToken.None);
                throw;
            }
            catch (OperationCanceledException)
            {
                // The ambiguous case: the channel may have accepted the message and not answered in time.
                // It is retried with the same message id, which a deduplicating gateway or receiver drops.
                result = DeliveryResult.Retry($"No answer within {settings.SendTimeoutSeconds} s (it may have been accepted; the retry carries the same message id).");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A channel's unexpected failure is one failed attempt of this message, not the end of the batch.
                logger.LogWarning(ex, "The {Channel} channel failed on notification {Id}", claimed.Message.Channel, claimed.Id);
                result = DeliveryResult.Retry(ex.GetType().Name + ": " + ex.Message);
            }
        }

        var now = clock.GetUtcNow();
        switch (result.Outcome)
        {
            case DeliveryOutcome.Delivered:
                await FinishAsync(claimed, OutboxStatus.Sent, null, now, null, cancellationToken);
                return new DispatchSummary(0, 1, 0, 0, 0);
            case DeliveryOutcome.NotConfigured:
                logger.LogWarning("Notification {Id} skipped: {Error}", claimed.Id, result.Error);
                await FinishAsync(claimed, OutboxStatus.Skipped, null, now, result.Error, cancellationToken);
                return new DispatchSummary(0, 0, 0, 0, 1);
            case DeliveryOutcome.Rejected:
                logger.LogWarning("Notification {Id} refused by its channel: {Error}", claimed.Id, result.Error);
                await FinishAsync(claimed, OutboxStatus.Failed, null, now, result.Error, cancellationToken);
                return new DispatchSummary(0, 0, 0, 1, 0);
            default:
                if (claimed.Attempts >= settings.MaxAttempts)
                {
                    logger.LogWarning("Notification {Id} failed after {Attempts} attempts: {Error}", claimed.Id, claimed.Attempts, result.Error);
                    await FinishAsync(claimed, OutboxStatus.Failed, null, now, result.Error, cancellationToken);
                    return new DispatchSummary(0, 0, 0, 1, 0);
                }

                var next = now + settings.RetryDelay(claimed.Attempts);
                logger.LogInformation("Notification {Id} attempt {Attempts} failed, next at {Next:O}: {Error}", claimed.Id, claimed.Attempts, next, result.Error);
                await FinishAsync(claimed, OutboxStatus.Pending, next, now, result.Error, cancellationToken);
                return new DispatchSummary(0, 0, 1, 0, 0);
        }
    }

    private async Task FinishAsync(Claimed claimed, OutboxStatus status, DateTimeOffset? nextAttempt, DateTimeOffset now, string? error, CancellationToken cancellationToken)
    {
        await connections.WriteAsync(
            async (connection, transaction) =>
            {
                await using var update = connection.CreateCommand();
                update.Transaction = transaction;
                update.CommandText = """
                    UPDATE notification_outbox
                    SET status = @status, sent_at = @sent, next_attempt_at = COALESCE(@next, next_attempt_at), last_error = @error,
                        claimed_until = NULL, claim_token = NULL
                    WHERE id = @id AND claim_token = @token
                    """;
                update.AddParameter("@status", (int)status);
                update.AddParameter("@sent", status == OutboxStatus.Sent ? now.ToUnixTimeMilliseconds() : null);
                update.AddParameter("@next", nextAttempt?.ToUnixTimeMilliseconds());
                update.AddParameter("@error", error is null ? null : SmsGatewayChannel.Shorten(error));
                update.AddParameter("@id", claimed.Id);
                update.AddParameter("@token", claimed.Token);
                return await update.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }

    private async Task ReleaseAsync(Claimed claimed, CancellationToken cancellationToken)
    {
        try
        {
            await connections.WriteAsync(
                async (connection, transaction) =>
                {
                    await using var update = connection.CreateCommand();
                    update.Transaction = transaction;
                    update.CommandText = "UPDATE notification_outbox SET claimed_until = NULL, claim_token = NULL, attempts = attempts - 1 WHERE id = @id AND claim_token = @token";
                    update.AddParameter("@id", claimed.Id);
                    update.AddParameter("@token", claimed.Token);
                    return await update.ExecuteNonQueryAsync(cancellationToken);
                },
                cancellationToken);
        }
        catch (DbException ex)
        {
            logger.LogWarning(ex, "Could not release notification {Id}; it is claimed again when its lease ends", claimed.Id);
        }
    }

    private sealed record Claimed(long Id, string Token, int Attempts, OutboundMessage Message);
}
