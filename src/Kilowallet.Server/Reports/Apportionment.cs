namespace Kilowallet.Server.Reports;

/// <summary>
/// Splits a whole number of minor units (fen) over weights by the largest-remainder method: each
/// party gets ⌊total × weight ÷ Σweights⌋, and the fen left over go one each to the largest
/// fractional parts (ties: larger weight first, then lower key). The shares always add up to exactly
/// the total; no party is off by a fen or more from its exact share.
/// </summary>
public static class Apportionment
{
    public sealed record Share(long Key, decimal Weight, decimal ExactMinor, long AmountMinor);

    public static IReadOnlyList<Share> LargestRemainder(long totalMinor, IReadOnlyList<(long Key, decimal Weight)> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(totalMinor);
        if (weights.Any(w => w.Weight < 0m))
        {
            throw new ArgumentException("Weights cannot be negative.", nameof(weights));
        }

        var sum = weights.Sum(w => w.Weight);
        if (sum == 0m)
        {
            return [.. weights.Select(w => new Share(w.Key, w.Weight, 0m, 0))];
        }

        var exact = weights.Select(w => (w.Key, w.Weight, Exact: totalMinor * (w.Weight / sum))).ToList();
        var floors = exact.Select(e => (long)decimal.Floor(e.Exact)).ToArray();
        var left = totalMinor - floors.Sum();
        var order = Enumerable.Range(0, exact.Count)
            .OrderByDescending(i => exact[i].Exact - floors[i])
            .ThenByDescending(i => exact[i].Weight)
            .ThenBy(i => exact[i].Key)
            .Take((int)left);
        foreach (var i in order)
        {
            floors[i]++;
        }

        return [.. exact.Select((e, i) => new Share(e.Key, e.Weight, e.Exact, floors[i]))];
    }
}
