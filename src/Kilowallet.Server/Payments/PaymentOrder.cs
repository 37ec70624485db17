using Kilowallet.Domain;

namespace Kilowallet.Server.Payments;

/// <summary>An online top-up: created before the tenant pays at the provider, settled by the provider's signed callback (or a query).</summary>
public sealed class PaymentOrder
{
    public long Id { get; set; }

    /// <summary>Our order number, sent to the provider and shown to the tenant.</summary>
    public required string OrderNo { get; set; }

    public required string Provider { get; set; }

    public AccountId AccountId { get; set; }

    public long AmountMinor { get; set; }

    public required string Currency { get; set; }

    public PaymentOrderStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SettledAt { get; set; }

    /// <summary>The provider's transaction id; unique per provider, the idempotency key of the credit.</summary>
    public string? ProviderTransactionId { get; set; }

    /// <summary>The ledger entry of the credit.</summary>
    public long? EntryId { get; set; }

    public required string CreatedBy { get; set; }

    /// <summary>Where the provider sends the payer back (a page of ours).</summary>
    public string? ReturnPath { get; set; }
}
