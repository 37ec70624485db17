using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;

namespace Kilowallet.Server.Accounts;

/// <summary>Money in: credits <see cref="Account"/> from <see cref="Source"/> (a cash drawer or a clearing account).</summary>
public sealed record TopUpCommand(
    AccountId Account,
    decimal Amount,
    string Channel,
    IdempotencyKey Key,
    LedgerAccountKey Source,
    string Actor,
    string? Reference,
    bool AtTill,
    string? Currency = null);
