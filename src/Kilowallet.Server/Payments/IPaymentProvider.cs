namespace Kilowallet.Server.Payments;

/// <summary>
/// A payment provider: WeChat Pay, Alipay, Stripe … each is one class implementing this. The flow:
/// <see cref="StartAsync"/> gives the address (or QR payload) where the tenant pays; the provider
/// calls back with a signed notification, which <see cref="Verify"/> checks (signature over the raw
/// body and a timestamp window against replay); <see cref="QueryAsync"/> asks about an order whose
/// callback never came.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Short code used in URLs and ledger clearing accounts, e.g. "demo-pay", "wechat".</summary>
    string Code { get; }

    string DisplayName { get; }

    /// <summary>Where to send the payer (an absolute or site-relative URL).</summary>
    Task<string> StartAsync(PaymentOrder order, CancellationToken cancellationToken);

    CallbackVerification Verify(ReadOnlySpan<byte> rawBody, IHeaderDictionary headers, DateTimeOffset now);

    /// <summary>The provider's view of an order, or null when it knows nothing of it (not paid).</summary>
    Task<ProviderNotification?> QueryAsync(string orderNo, CancellationToken cancellationToken);

    /// <summary>What the provider expects back when a callback was accepted.</summary>
    string Acknowledgement { get; }
}
