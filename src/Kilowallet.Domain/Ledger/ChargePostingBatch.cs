using System.Collections.Immutable;

namespace Kilowallet.Domain.Ledger;

/// <summary>
/// The result of posting accrued charges: the charge postings in whole minor units and the sub-cent
/// remainder to carry on the account. <c>Posted + Carry == Rated + the carry passed in</c>, exactly.
/// </summary>
public sealed record ChargePostingBatch(ImmutableArray<Posting> Postings, Money Posted, Money Carry, Money Rated);
