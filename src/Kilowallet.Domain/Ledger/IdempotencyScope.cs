namespace Kilowallet.Domain.Ledger;

/// <summary>Where an <see cref="IdempotencyKey"/> comes from, and so within which namespace it is unique.</summary>
public enum IdempotencyScope
{
    /// <summary>A cashier's receipt number ("receipt:R-000123").</summary>
    Receipt = 0,

    /// <summary>A payment provider's transaction id, within the provider ("provider:demo-pay:TX42").</summary>
    ProviderTransaction = 1,

    /// <summary>A client's Idempotency-Key header, within the calling principal ("client:user-7:5f1c…").</summary>
    ClientRequest = 2,

    /// <summary>A key the server makes for its own postings, e.g. a fixed fee per account and period ("system:fee:42:2025-01").</summary>
    System = 3,

    /// <summary>A charge bucket: meter, band and hour ("charge:m42:peak:2025-01-01T10Z"); made by <see cref="ChargePosting"/>.</summary>
    Charge = 4,

    /// <summary>The reversal of another posting ("reversal:receipt:R-000123"); made by <see cref="Posting.Reverse"/>.</summary>
    Reversal = 5,
}
