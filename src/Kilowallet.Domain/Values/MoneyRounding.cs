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

    /// <summary>
    /// Part <paramref name="part"/> (1-based) of <paramref name="total"/> spread over <paramref name="parts"/>
    /// parts in whole minor units, e.g. a monthly fixed charge posted on each day of the month. Part k is
    /// ⌊T·k/n⌋ − ⌊T·(k−1)/n⌋ minor units: the parts differ by at most one minor unit, the odd units fall
    /// evenly through the month, and the n parts add up to exactly <paramref name="total"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="total"/> is not a whole number of minor units.</exception>
    public static Money SpreadEvenly(Money total, int part, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(part, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(part, parts);
        if (!total.IsWholeMinorUnits)
        {
            throw new ArgumentException($"{total} is not a whole number of minor units.", nameof(total));
        }

        var minor = total.Amount * Money.MinorUnitsPerMajor;
        var upTo = decimal.Floor(minor * part / parts);
        var before = decimal.Floor(minor * (part - 1) / parts);
        return new Money((upTo - before) / Money.MinorUnitsPerMajor);
    }

    /// <summary>Rounds an amount shown to a person (a receipt line, a forecast) half away from zero.</summary>
    public static Money ForDisplay(Money value) =>
        new(decimal.Round(value.Amount, 2, MidpointRounding.AwayFromZero));
}
