using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Payments;

/// <summary>
/// Settles orders whose callback never came: every minute it asks the provider about orders
/// still pending after two minutes (and younger than a day). Crediting is idempotent, so racing a
/// late callback is harmless.
/// </summary>
public sealed class PaymentReconciler(
    IDbContextFactory<KilowalletDb> dbFactory,
    PaymentService payments,
    TimeProvider clock,
    ILogger<PaymentReconciler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<string> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var oldest = now.AddDays(-1);
            var newest = now - Grace;
            due = await db.PaymentOrders.AsNoTracking()
                .Where(o => o.Status == PaymentOrderStatus.Pending && o.CreatedAt >= oldest && o.CreatedAt <= newest)
                .OrderBy(o => o.Id).Select(o => o.OrderNo).Take(200)
                .ToListAsync(cancellationToken);
        }

        var settled = 0;
        foreach (var orderNo in due)
        {
            var order = await payments.QueryAsync(orderNo, cancellationToken);
            if (order?.Status != PaymentOrderStatus.Pending)
            {
                settled++;
                logger.LogInformation("Reconciled payment {Order}: {Status}", orderNo, order?.Status);
            }
        }

        return settled;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Payment reconciliation pass failed; the next pass retries");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
