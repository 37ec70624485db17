using System.Data.Common;
using Kilowallet.Server.Metrics;

namespace Kilowallet.Server.Metering.Billing;

/// <summary>
/// Drains the reading queue in batches (whatever has arrived, up to <see cref="BatchSize"/> readings
/// per transaction: small batches when readings trickle in, large ones when a backlog is catching up,
/// so the per-meter work of a batch is shared by more readings) into
/// the <see cref="ReadingBiller"/>. When the database is unavailable the batch is kept and retried
/// with backoff while the queue fills and back-pressure reaches the producers; nothing is dropped.
/// After each batch it wakes the control loop if balances crossed a threshold.
/// </summary>
public sealed class BillingWriter(
    ReadingPipeline pipeline,
    ReadingBiller biller,
    BalanceSignal signal,
    KilowalletMetrics metrics,
    TimeProvider clock,
    ILogger<BillingWriter> logger) : BackgroundService
{
    public const int BatchSize = 10_000;

    /// <summary>Tells each producer its readings are safe (e.g. acknowledges MQTT messages to the broker).</summary>
    private async Task AcknowledgeAsync(List<MeterSample> batch)
    {
        foreach (var sample in batch)
        {
            if (sample.AfterCommit is { } ack)
            {
                try
                {
                    await ack();
                }
#pragma warning disable CA1031 // An acknowledgement that fails (broker gone) only means the broker redelivers; the reading is stored.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    logger.LogDebug(ex, "Acknowledging a reading of meter {Meter} failed; it will be redelivered and ignored as a duplicate", sample.Meter);
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await DrainAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued was not acknowledged to its producers and is read again after the restart.
        }
    }

    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        var batch = new List<MeterSample>(BatchSize);
        while (await pipeline.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < BatchSize && pipeline.Reader.TryRead(out var sample))
            {
                batch.Add(sample);
            }

            var delay = TimeSpan.FromMilliseconds(200);
            while (true)
            {
                try
                {
                    var started = clock.GetTimestamp();
                    var outcome = await biller.ApplyAsync(batch, stoppingToken);
                    metrics.RecordBatch(outcome, clock.GetElapsedTime(started), batch.Count > 0 ? clock.GetUtcNow() - batch[^1].At : TimeSpan.Zero);
                    if (outcome.BalanceEvents.Count > 0)
                    {
                        signal.Raise();
                    }

                    await AcknowledgeAsync(batch);
                    break;
                }
                catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Billing batch of {Count} readings failed ({Depth} queued); retrying in {Delay}", batch.Count, pipeline.Depth, delay);
                    await Task.Delay(delay, clock, stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                }
            }
        }
    }
}
