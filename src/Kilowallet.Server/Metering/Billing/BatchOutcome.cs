using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;

namespace Kilowallet.Server.Metering.Billing;

/// <summary>What one billing batch did.</summary>
public sealed record BatchOutcome(
    int Stored,
    int Duplicates,
    int Rated,
    int Ignored,
    int Quarantined,
    int Rejected,
    IReadOnlyList<(AccountId Account, BalanceEvent Event)> BalanceEvents)
{
    public static BatchOutcome Empty { get; } = new(0, 0, 0, 0, 0, 0, []);
}
