using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Payments;

/// <summary>
/// A stand-in payment provider for demos and tests, served by Kilowallet itself: the tenant pays
/// on a local page, and the "provider" then calls our callback exactly as a real one would — an
/// HTTP POST with a JSON body signed by HMAC-SHA256 over "timestamp.body", with the timestamp in a
/// header so a replayed or stale callback is refused.
/// </summary>
public sealed class DemoPayProvider(IOptions<PaymentOptions> options, IDbContextFactory<KilowalletDb> dbFactory) : IPaymentProvider
{
    public const string ProviderCode = "demo-pay";
    public const string TimestampHeader = "X-DemoPay-Timestamp";
    public const string SignatureHeader = "X-DemoPay-Signature";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Code => ProviderCode;

    public string DisplayName => "Demo Pay (local stand-in)";

    public string Acknowledgement => "success";

    public Task<string> StartAsync(PaymentOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        return Task.FromResult("/pay/demo/" + Uri.EscapeDataString(order.OrderNo));
    }

    public CallbackVerification Verify(ReadOnlySpan<byte> rawBody, IHeaderDictionary headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!long.TryParse(headers[TimestampHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return CallbackVerification.Refused($"missing or malformed {TimestampHeader}");
        }

        var age = Math.Abs(now.ToUnixTimeSeconds() - timestamp);
        if (age > options.Value.CallbackWindowSeconds)
        {
            return CallbackVerification.Refused($"stale timestamp ({age} s outside the {options.Value.CallbackWindowSeconds} s window)");
        }

        byte[] presented;
        try
        {
            presented = Convert.FromHexString(headers[SignatureHeader].ToString());
        }
        catch (FormatException)
        {
            return CallbackVerification.Refused($"malformed {SignatureHeader}");
        }

        var expected = Sign(options.Value.DemoPaySecret, timestamp, rawBody);
        if (!CryptographicOperations.FixedTimeEquals(expected, presented))
        {
            return CallbackVerification.Refused("bad signature");
        }

        try
        {
            var body = JsonSerializer.Deserialize<CallbackBody>(rawBody, Json);
            if (body is null || string.IsNullOrEmpty(body.OrderNo) || string.IsNullOrEmpty(body.TransactionId) || body.Status is not ("paid" or "failed"))
            {
                return CallbackVerification.Refused("incomplete body");
            }

            return CallbackVerification.Valid(new ProviderNotification(body.OrderNo, body.TransactionId, body.AmountMinor, body.Status == "paid"));
        }
        catch (JsonException ex)
        {
            return CallbackVerification.Refused("unreadable body: " + ex.Message);
        }
    }

    public async Task<ProviderNotification?> QueryAsync(string orderNo, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var transaction = await db.DemoPayTransactions.AsNoTracking().SingleOrDefaultAsync(t => t.OrderNo == orderNo, cancellationToken);
        return transaction is null ? null : new ProviderNotification(transaction.OrderNo, transaction.TransactionId, transaction.AmountMinor, transaction.Succeeded);
    }

    /// <summary>The callback the provider sends for a transaction: body and headers, signed now.</summary>
    public (byte[] Body, long Timestamp, string Signature) SignedCallback(DemoPayTransaction transaction, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new CallbackBody(transaction.OrderNo, transaction.TransactionId, transaction.AmountMinor, transaction.Succeeded ? "paid" : "failed"), Json);
        var timestamp = now.ToUnixTimeSeconds();
        return (body, timestamp, Convert.ToHexString(Sign(options.Value.DemoPaySecret, timestamp, body)).ToLowerInvariant());
    }

    public static byte[] Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }

    private sealed record CallbackBody(string OrderNo, string TransactionId, long AmountMinor, string Status);
}
