using System.Collections.Immutable;

namespace Kilowallet.Domain.Ledger;

/// <summary>The account's next <see cref="BalanceAlertState"/> and the crossings to announce (usually none).</summary>
public sealed record BalanceObservation(BalanceAlertState State, ImmutableArray<BalanceEvent> Events);
