namespace Kilowallet.Server.Payments;

/// <summary>
/// The demo provider's own record of a payment (what a real provider keeps on its side): lets
/// the query path reconcile an order whose callback never arrived.
/// </summary>
public sealed class DemoPayTransaction
{
    public long Id { get; set; }

    public required string OrderNo { get; set; }

    public required string TransactionId { get; set; }

    public long AmountMinor { get; set; }

    public bool Succeeded { get; set; }

    public DateTimeOffset At { get; set; }
}
