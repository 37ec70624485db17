using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;

namespace Kilowallet.Server.Ledger;

/// <summary>What the ledger keeps beside a posting's lines: context for history, receipts and reports.</summary>
public sealed record EntryDetails
{
    /// <summary>The tenant account whose wallet the entry moves (the source of a transfer).</summary>
    public AccountId? Account { get; init; }

    public string? Channel { get; init; }

    public string? Reference { get; init; }

    public MeterId? Meter { get; init; }

    public RevenueBand? Band { get; init; }

    public DateTimeOffset? HourStart { get; init; }

    public long? ReversesEntryId { get; init; }

    public long? ShiftId { get; init; }

    /// <summary>Identifies the request's content; a retry with the same key and a different fingerprint is a conflict.</summary>
    public string? Fingerprint { get; init; }
}
