namespace Kilowallet.Domain.Ledger;

/// <summary>
/// One line of a <see cref="Posting"/>: a signed amount in whole minor units (fen) on one account.
/// Positive is a credit, negative a debit; see <see cref="Posting"/> for what that means per account.
/// </summary>
public readonly record struct PostingLine(LedgerAccountKey Account, long AmountMinor)
{
    public Money Amount => Money.FromMinorUnits(AmountMinor);

    public PostingLine Negated() => new(Account, -AmountMinor);

    public override string ToString() => $"{Account} {Amount}";
}
