namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// The spreading rule: an interval's energy is assumed drawn at constant power, so each piece of the
/// interval gets energy proportional to its duration. Whole watt-hours are assigned by the
/// largest-remainder method: each piece gets the whole part of its exact share, and the watt-hours
/// left over go one each to the pieces with the largest fractional parts (ties: the earlier piece).
/// The shares add up exactly to the energy, and each is within 1 Wh of its exact share.
/// </summary>
public static class EnergySpreading
{
    private const int StackLimit = 64;

    /// <summary>Splits <paramref name="energyWh"/> (≥ 0) into <paramref name="shares"/> proportional to <paramref name="weights"/> (≥ 0, not all zero).</summary>
    public static void LargestRemainder(long energyWh, ReadOnlySpan<long> weights, Span<long> shares)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(energyWh);
        if (shares.Length != weights.Length)
        {
            throw new ArgumentException("One share per weight.", nameof(shares));
        }

        long total = 0;
        foreach (var weight in weights)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(weight, nameof(weights));
            total = checked(total + weight);
        }

        if (total == 0)
        {
            throw new ArgumentException("The weights add up to zero.", nameof(weights));
        }

        Span<long> remainders = weights.Length <= StackLimit ? stackalloc long[weights.Length] : new long[weights.Length];
        var left = energyWh;
        for (var i = 0; i < weights.Length; i++)
        {
            shares[i] = WideMath.MultiplyDivide(energyWh, weights[i], total, out remainders[i]);
            left -= shares[i];
        }

        if (left == 0)
        {
            return;
        }

        if (weights.Length <= StackLimit)
        {
            // Few pieces: pick the largest remainder `left` times (left < pieces).
            for (; left > 0; left--)
            {
                var best = -1;
                for (var i = 0; i < remainders.Length; i++)
                {
                    if (remainders[i] >= 0 && (best < 0 || remainders[i] > remainders[best]))
                    {
                        best = i;
                    }
                }

                shares[best]++;
                remainders[best] = -1;
            }

            return;
        }

        var order = new (long Remainder, int Index)[weights.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = (remainders[i], i);
        }

        Array.Sort(order, static (a, b) => a.Remainder != b.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Index.CompareTo(b.Index));
        for (var k = 0; k < left; k++)
        {
            shares[order[k].Index]++;
        }
    }
}
