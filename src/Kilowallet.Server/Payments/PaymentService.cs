using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Payments;

/// <summary>
/// Online top-ups: create an order, send the payer to the provider, settle the order from the
/// provider's verified callback or from a query. Settling credits the account exactly once
/// (keyed by the provider's transaction id) and marks the order paid in the same transaction.
/// </summary>
public sealed class PaymentService(
    IEnumerable<IPaymentProvider> providers,
    IDbContextFactory<KilowalletDb> dbFactory,
    AccountMoney money,
    AuditLog audit,
    IOptions<PaymentOptions> options,
    TimeProvider clock,
    ILogger<PaymentService> logger)
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public IReadOnlyList<IPaymentProvider> Providers { get; } = [.. providers];

    public IPaymentProvider? Provider(string code) => Providers.FirstOrDefault(p => p.Code == code);

    public sealed record Started(PaymentOrder Order, string RedirectUrl);

    public async Task<Started> CreateOrderAsync(AccountId account, decimal amount, string providerCode, string createdBy, string? returnPath, CancellationToken cancellationToken)
    {
        var provider = Provider(providerCode) ?? throw new MoneyOperationException("provider", $"Unknown payment provider '{providerCode}'.");
        var checkedAmount = AccountMoney.CheckAmount(amount, "amount", options.Value.MaxTopUp);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var facts = await db.Accounts.AsNoTracking()
            .Where(a => a.Id == account)
            .Select(a => new { a.Status, Currency = db.Sites.Where(s => s.Id == a.SiteId).Select(s => s.Currency).First() })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new MoneyOperationException("accountId", $"There is no account {account}.") { NotFound = true };
        if (facts.Status != AccountStatus.Open)
        {
            throw new MoneyOperationException("accountId", $"Account {account} is closed.");
        }

        var now = clock.GetUtcNow();
        var order = new PaymentOrder
        {
            OrderNo = "P" + now.ToString("yyMMddHHmm", CultureInfo.InvariantCulture) + RandomNumberGenerator.GetString(Alphabet, 6),
            Provider = provider.Code,
            AccountId = account,
            AmountMinor = checkedAmount.ToMinorUnits(),
            Currency = facts.Currency,
            Status = PaymentOrderStatus.Pending,
            CreatedAt = now,
            CreatedBy = createdBy,
            ReturnPath = returnPath is { Length: > 0 } && returnPath.StartsWith('/') && !returnPath.StartsWith("//", StringComparison.Ordinal) ? returnPath : null,
        };
        db.PaymentOrders.Add(order);
        audit.Record(db, createdBy, "payment.order-created", "account:" + account.Value, new { order.OrderNo, amount = checkedAmount.Amount, provider = provider.Code });
        await db.SaveChangesAsync(cancellationToken);
        return new Started(order, await provider.StartAsync(order, cancellationToken));
    }

    /// <summary>Checks and applies a provider callback; every callback, valid or not, is recorded for audit.</summary>
    public async Task<(bool Accepted, string Outcome)> HandleCallbackAsync(string providerCode, byte[] rawBody, IHeaderDictionary headers, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rawBody);
        var provider = Provider(providerCode);
        var verification = provider is null
            ? CallbackVerification.Refused($"unknown provider '{providerCode}'")
            : provider.Verify(rawBody, headers, clock.GetUtcNow());
        string outcome;
        var accepted = false;
        if (verification.Notification is { } notification)
        {
            (accepted, outcome) = await SettleAsync(provider!, notification, "callback", cancellationToken);
        }
        else
        {
            outcome = "refused: " + verification.RefusedBecause;
            logger.LogWarning("Refused a {Provider} payment callback from {Remote}: {Reason}", providerCode, remoteAddress, verification.RefusedBecause);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.PaymentCallbacks.Add(new PaymentCallbackRecord
        {
            Provider = providerCode.Length > 32 ? providerCode[..32] : providerCode,
            ReceivedAt = clock.GetUtcNow(),
            Valid = verification.Notification is not null,
            Outcome = outcome.Length > 300 ? outcome[..300] : outcome,
            OrderNo = verification.Notification?.OrderNo,
            Body = Truncate(Encoding.UTF8.GetString(rawBody), 4000),
            RemoteAddress = remoteAddress,
        });
        if (verification.Notification is null)
        {
            audit.Record(db, AuditLog.System, "payment.callback-refused", "provider:" + providerCode, new { reason = verification.RefusedBecause, remoteAddress });
        }

        await db.SaveChangesAsync(cancellationToken);
        return (accepted, outcome);
    }

    /// <summary>Asks the provider about a pending order (its callback may never have come) and settles it if the provider knows the outcome.</summary>
    public async Task<PaymentOrder?> QueryAsync(string orderNo, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var order = await db.PaymentOrders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderNo == orderNo, cancellationToken);
            if (order is null)
            {
                return null;
            }

            if (order.Status == PaymentOrderStatus.Pending && Provider(order.Provider) is { } provider
                && await provider.QueryAsync(orderNo, cancellationToken) is { } notification)
            {
                await SettleAsync(provider, notification, "query", cancellationToken);
            }
        }

        await using var reread = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await reread.PaymentOrders.AsNoTracking().SingleAsync(o => o.OrderNo == orderNo, cancellationToken);
    }

    private async Task<(bool Accepted, string Outcome)> SettleAsync(IPaymentProvider provider, ProviderNotification notification, string source, CancellationToken cancellationToken)
    {
        PaymentOrder? order;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            order = await db.PaymentOrders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderNo == notification.OrderNo && o.Provider == provider.Code, cancellationToken);
        }

        if (order is null)
        {
            return (false, $"refused: no {provider.Code} order {notification.OrderNo}");
        }

        if (notification.AmountMinor != order.AmountMinor)
        {
            logger.LogError("Payment {Order}: the provider reports {Reported} fen, the order is for {Expected} fen; not credited", order.OrderNo, notification.AmountMinor, order.AmountMinor);
            return (false, $"refused: amount {notification.AmountMinor} fen does not match the order's {order.AmountMinor} fen");
        }

        if (!notification.Succeeded)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var pending = await db.PaymentOrders.SingleAsync(o => o.Id == order.Id, cancellationToken);
            if (pending.Status == PaymentOrderStatus.Pending)
            {
                pending.Status = PaymentOrderStatus.Failed;
                pending.SettledAt = clock.GetUtcNow();
                pending.ProviderTransactionId = notification.TransactionId;
                await db.SaveChangesAsync(cancellationToken);
            }

            return (true, "payment failed at the provider; nothing credited");
        }

        var command = new TopUpCommand(
            order.AccountId,
            Money.FromMinorUnits(order.AmountMinor).Amount,
            provider.Code,
            IdempotencyKey.ForProviderTransaction(provider.Code, notification.TransactionId),
            LedgerAccountKey.Clearing(provider.Code),
            provider.Code,
            order.OrderNo,
            AtTill: false);
        var result = await money.TopUpAsync(command, cancellationToken, async (connection, transaction, credited) =>
        {
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = """
                UPDATE payment_orders SET status = @paid, settled_at = @at, provider_transaction_id = @txn, entry_id = @entry
                WHERE id = @id AND status <> @paid
                """;
            update.AddParameter("@paid", (int)PaymentOrderStatus.Paid);
            update.AddParameter("@at", clock.GetUtcNow().ToUnixTimeMilliseconds());
            update.AddParameter("@txn", notification.TransactionId);
            update.AddParameter("@entry", credited.EntryId);
            update.AddParameter("@id", order.Id);
            await update.ExecuteNonQueryAsync(cancellationToken);
        });
        return (true, result.Created ? $"credited by {source} (entry {result.EntryId})" : $"already credited (entry {result.EntryId})");
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
