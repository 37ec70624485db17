using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;

namespace Kilowallet.Server.Ledger;

/// <summary>
/// A ledger account (a tenant wallet, revenue by band, a cash drawer, a provider's clearing
/// account …) with its cached balance: the sum of its lines, kept equal in the same transaction
/// that writes them.
/// </summary>
public sealed class LedgerAccount
{
    public long Id { get; set; }

    /// <summary>The stable text form of the domain key, e.g. "wallet:42", "revenue:peak", "cash:cashier1".</summary>
    public required string Key { get; set; }

    public LedgerAccountKind Kind { get; set; }

    /// <summary>The prepaid account of a wallet; null for every other kind.</summary>
    public AccountId? AccountId { get; set; }

    /// <summary>Sum of this account's lines in minor units (fen). Credit positive.</summary>
    public long BalanceMinor { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
