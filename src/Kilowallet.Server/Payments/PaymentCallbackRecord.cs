namespace Kilowallet.Server.Payments;

/// <summary>Every callback a provider sent, valid or not, kept for audit and reconciliation.</summary>
public sealed class PaymentCallbackRecord
{
    public long Id { get; set; }

    public required string Provider { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public bool Valid { get; set; }

    /// <summary>Why it was refused (bad signature, stale timestamp, amount mismatch …), or the outcome.</summary>
    public required string Outcome { get; set; }

    public string? OrderNo { get; set; }

    /// <summary>The raw body, truncated to 4,000 characters.</summary>
    public string? Body { get; set; }

    public string? RemoteAddress { get; set; }
}
