using System.Globalization;

namespace Kilowallet.Domain;

/// <summary>
/// An amount of money in an account's currency. Exact decimal; never a binary float.
/// Conversion to and from the integer minor units stored by the database happens here, and only
/// whole minor units convert: sub-cent amounts are rounded in <see cref="MoneyRounding"/>, not here.
/// </summary>
public readonly record struct Money(decimal Amount) : IComparable<Money>
{
    /// <summary>Minor units per major unit (fen per yuan, cents per dollar). Every supported currency has two decimals.</summary>
    public const int MinorUnitsPerMajor = 100;

    public static Money Zero => default;

    public static Money FromMinorUnits(long minorUnits) => new(minorUnits / (decimal)MinorUnitsPerMajor);

    public static Money Yuan(decimal amount) => new(amount);

    /// <summary>The amount in minor units; throws if the amount is not a whole number of them.</summary>
    public long ToMinorUnits()
    {
        var scaled = Amount * MinorUnitsPerMajor;
        if (scaled != decimal.Truncate(scaled))
        {
            throw new InvalidOperationException($"{Amount} is not a whole number of minor units; round it with MoneyRounding first.");
        }

        return decimal.ToInt64(scaled);
    }

    public bool IsWholeMinorUnits => Amount * MinorUnitsPerMajor == decimal.Truncate(Amount * MinorUnitsPerMajor);

    public static Money operator +(Money left, Money right) => new(left.Amount + right.Amount);

    public static Money operator -(Money left, Money right) => new(left.Amount - right.Amount);

    public static Money operator -(Money value) => new(-value.Amount);

    public static Money operator *(Money left, decimal factor) => new(left.Amount * factor);

    public static bool operator <(Money left, Money right) => left.Amount < right.Amount;

    public static bool operator >(Money left, Money right) => left.Amount > right.Amount;

    public static bool operator <=(Money left, Money right) => left.Amount <= right.Amount;

    public static bool operator >=(Money left, Money right) => left.Amount >= right.Amount;

    public int CompareTo(Money other) => Amount.CompareTo(other.Amount);

    public static Money Add(Money left, Money right) => left + right;

    public static Money Subtract(Money left, Money right) => left - right;

    public static Money Negate(Money value) => -value;

    public static Money Multiply(Money left, decimal factor) => left * factor;

    public override string ToString() => Amount.ToString("0.00########", CultureInfo.InvariantCulture);
}
