using System.Net.Http.Headers;
using System.Security.Cryptography;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Payments;

/// <summary>
/// The demo provider's side of a payment: the payer confirms on the stand-in page, the provider
/// records its transaction and calls the merchant's callback URL over HTTP, signed — exactly the
/// path a real provider takes. The callback can be withheld to exercise reconciliation by query.
/// </summary>
public sealed class DemoPayCashier(
    DemoPayProvider provider,
    IDbContextFactory<KilowalletDb> dbFactory,
    IHttpClientFactory httpClients,
    IServer server,
    IOptions<PaymentOptions> options,
    TimeProvider clock,
    ILogger<DemoPayCashier> logger)
{
    public async Task<DemoPayTransaction?> PayAsync(string orderNo, bool succeed, bool notifyMerchant, CancellationToken cancellationToken)
    {
        DemoPayTransaction transaction;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var order = await db.PaymentOrders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderNo == orderNo && o.Provider == DemoPayProvider.ProviderCode, cancellationToken);
            if (order is null)
            {
                return null;
            }

            var existing = await db.DemoPayTransactions.SingleOrDefaultAsync(t => t.OrderNo == orderNo, cancellationToken);
            transaction = existing ?? new DemoPayTransaction
            {
                OrderNo = orderNo,
                TransactionId = "DP" + RandomNumberGenerator.GetHexString(16),
                AmountMinor = order.AmountMinor,
                Succeeded = succeed,
                At = clock.GetUtcNow(),
            };
            if (existing is null)
            {
                db.DemoPayTransactions.Add(transaction);
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        if (notifyMerchant)
        {
            await SendCallbackAsync(transaction, cancellationToken);
        }

        return transaction;
    }

    /// <summary>POSTs the signed callback to our own callback URL; a failure is logged and left to reconciliation.</summary>
    public async Task<bool> SendCallbackAsync(DemoPayTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var (body, timestamp, signature) = provider.SignedCallback(transaction, clock.GetUtcNow());
        var url = new Uri(BaseAddress(), "/api/v1/payments/" + DemoPayProvider.ProviderCode + "/callback");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(DemoPayProvider.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(DemoPayProvider.SignatureHeader, signature);
        try
        {
            using var client = httpClients.CreateClient(nameof(DemoPayCashier));
            client.Timeout = TimeSpan.FromSeconds(10);
            using var response = await client.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning(ex, "Demo Pay could not deliver the callback for {Order} to {Url}; it will be reconciled by query", transaction.OrderNo, url);
            return false;
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Demo Pay callback for {Order} timed out; it will be reconciled by query", transaction.OrderNo);
            return false;
        }
    }

    private Uri BaseAddress()
    {
        if (options.Value.PublicBaseUrl is { Length: > 0 } configured)
        {
            return new Uri(configured);
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
        return new Uri(address.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
    }
}
