namespace Kilowallet.Domain;

/// <summary>
/// Exact charges as integers: pico units are 10⁻¹² of the currency's major unit (of a yuan). Every
/// rated amount fits exactly, because validation limits prices to 4 decimals and markups to 4 decimals
/// and 3 for a percentage: a unit price has at most 9 decimals, and watt-hours × price / 1000 at most 12.
/// A <see cref="long"/> holds ±9.2 million major units of pico units; that bounds one stored amount (a
/// slice, a day's accrual, a carry), not a balance, which the ledger keeps in minor units.
/// </summary>
public static class MoneyPrecision
{
    public const int Decimals = 12;

    public const long PicoUnitsPerMajor = 1_000_000_000_000L;

    /// <summary>The amount in pico units; throws if it has more than 12 decimals or is out of range.</summary>
    /// <exception cref="InvalidOperationException">Not a whole number of pico units.</exception>
    /// <exception cref="OverflowException">Beyond ±9.2 million major units.</exception>
    public static long ToPicoUnits(Money exact)
    {
        var scaled = exact.Amount * PicoUnitsPerMajor;
        if (scaled != decimal.Truncate(scaled))
        {
            throw new InvalidOperationException($"{exact.Amount} has more than {Decimals} decimals; it is not an exact rated amount.");
        }

        return decimal.ToInt64(scaled);
    }

    /// <summary>True when <paramref name="exact"/> converts to pico units without loss.</summary>
    public static bool IsRepresentable(Money exact)
    {
        var scaled = exact.Amount * PicoUnitsPerMajor;
        return scaled == decimal.Truncate(scaled) && scaled >= long.MinValue && scaled <= long.MaxValue;
    }

    public static Money FromPicoUnits(long picoUnits) => new(picoUnits / (decimal)PicoUnitsPerMajor);
}
