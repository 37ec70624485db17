using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;

namespace Kilowallet.Server.Ledger;

/// <summary>An immutable journal entry; its lines sum to zero. Never updated or deleted: a mistake is reversed.</summary>
public sealed class LedgerEntry
{
    public long Id { get; set; }

    public PostingKind Kind { get; set; }

    /// <summary>Unique: the same receipt, provider transaction, client request or charge bucket posts once.</summary>
    public required string IdempotencyKey { get; set; }

    /// <summary>A hash of the request that created the entry, so a retry with the same key but different content is refused.</summary>
    public string? RequestFingerprint { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The tenant account the entry is about (the wallet moved), for history queries; null for none.</summary>
    public AccountId? AccountId { get; set; }

    /// <summary>The amount the entry moved on that account's wallet, in fen (credit positive).</summary>
    public long WalletAmountMinor { get; set; }

    public string? Reason { get; set; }

    /// <summary>Who made the posting; null for automatic ones (charges).</summary>
    public string? OperatorId { get; set; }

    /// <summary>How the money moved: cash, card, qr, demo-pay, …; null for charges.</summary>
    public string? Channel { get; set; }

    /// <summary>A receipt number or a provider's transaction id.</summary>
    public string? Reference { get; set; }

    /// <summary>The entry this one reverses; unique, so an entry is reversed at most once.</summary>
    public long? ReversesEntryId { get; set; }

    public MeterId? MeterId { get; set; }

    public RevenueBand? Band { get; set; }

    /// <summary>For charges: the UTC hour of use the entry bills.</summary>
    public DateTimeOffset? HourStart { get; set; }

    /// <summary>The cashier shift an entry taken at the till belongs to.</summary>
    public long? ShiftId { get; set; }
}
