namespace Kilowallet.Domain;

/// <summary>
/// The one place where money is rounded. Charges accrue at full precision; they are posted in
/// whole minor units by truncating towards zero and carrying the remainder forward, so the posted
/// total never differs from the exact total by a minor unit or more.
/// </summary>
public static class MoneyRounding
{
    /// <summary>
    /// Splits <paramref name="exact"/> (plus a carried remainder) into a postable amount in whole
    /// minor units and the remainder to carry. For non-negative input the remainder lies in [0, 0.01).
    /// </summary>
    public static (Money Postable, Money Carry) ToPostable(Money exact, Money carried)
    {
        var total = exact.Amount + carried.Amount;
        var postable = decimal.Truncate(total * Money.MinorUnitsPerMajor) / Money.MinorUnitsPerMajor;
        return (new Money(postable), new Money(total - postable));
    }

    /// <summary>Rounds an amount shown to a person (a receipt line, a forecast) half away from zero.</summary>
    public static Money ForDisplay(Money value) =>
        new(decimal.Round(value.Amount, 2, MidpointRounding.AwayFromZero));
}
