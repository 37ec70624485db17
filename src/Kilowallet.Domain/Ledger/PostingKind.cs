namespace Kilowallet.Domain.Ledger;

/// <summary>Why money moved. Each kind has a factory on <see cref="Posting"/> that builds its lines.</summary>
public enum PostingKind
{
    OpeningBalance = 0,
    TopUp = 1,
    Charge = 2,
    FixedFee = 3,
    Refund = 4,
    Reversal = 5,
    Adjustment = 6,
    Transfer = 7,
    ClosingSettlement = 8,
}
