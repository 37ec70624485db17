namespace Kilowallet.Domain.Ledger;

/// <summary>
/// Turns charges accrued at full precision into postings in whole minor units. Buckets are posted in
/// a fixed order (hour, meter, band); each is rounded with <see cref="MoneyRounding.ToPostable"/>
/// together with the account's carried remainder, so the remainder moves from bucket to bucket and
/// the account never gains or loses a cent: posted + carry always equals the rated total plus the
/// carry brought in. A bucket whose postable part is zero makes no posting; its cost stays in the carry.
/// </summary>
public static class ChargePosting
{
    /// <summary>The start of the UTC hour containing <paramref name="instant"/>: the hour of its accrual bucket.</summary>
    public static DateTimeOffset HourContaining(DateTimeOffset instant)
    {
        var utc = instant.UtcTicks;
        return new DateTimeOffset(utc - (utc % TimeSpan.TicksPerHour), TimeSpan.Zero);
    }

    /// <summary>Adds up accruals that fall into the same (meter, band, hour) bucket.</summary>
    public static IReadOnlyList<AccruedCharge> Combine(IEnumerable<AccruedCharge> accruals)
    {
        ArgumentNullException.ThrowIfNull(accruals);
        return accruals
            .GroupBy(a => (a.Meter, a.Band, Hour: HourContaining(a.HourStart), a.Part))
            .Select(g => new AccruedCharge(g.Key.Meter, g.Key.Band, g.Key.Hour, new Money(g.Sum(a => a.Exact.Amount)), g.Key.Part))
            .OrderBy(a => a.HourStart)
            .ThenBy(a => a.Meter.Value)
            .ThenBy(a => a.Band)
            .ThenBy(a => a.Part)
            .ToList();
    }

    /// <summary>
    /// Posts the closed buckets of one account, in the order (hour, meter, band, part). <paramref name="carried"/> is the account's remainder,
    /// in [0, 0.01). Each bucket appears once and costs zero or more; its posting is keyed by
    /// <see cref="IdempotencyKey.ForCharge"/>, so posting a bucket twice is caught by storage.
    /// </summary>
    public static ChargePostingBatch Post(AccountId account, IEnumerable<AccruedCharge> buckets, Money carried)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (carried < Money.Zero || carried >= Money.FromMinorUnits(1))
        {
            throw new ArgumentOutOfRangeException(nameof(carried), carried.Amount, "A carried remainder lies in [0, 0.01).");
        }

        var ordered = buckets.OrderBy(b => b.HourStart).ThenBy(b => b.Meter.Value).ThenBy(b => b.Band).ThenBy(b => b.Part).ToList();
        var postings = new List<Posting>(ordered.Count);
        var keys = new HashSet<IdempotencyKey>();
        var carry = carried;
        var posted = Money.Zero;
        var rated = Money.Zero;
        foreach (var bucket in ordered)
        {
            if (bucket.Exact < Money.Zero)
            {
                throw new ArgumentException($"The bucket {bucket.Meter}/{bucket.Band}/{bucket.HourStart:O} costs less than zero; credits are adjustments.", nameof(buckets));
            }

            if (bucket.HourStart != HourContaining(bucket.HourStart))
            {
                throw new ArgumentException($"{bucket.HourStart:O} is not the start of a UTC hour.", nameof(buckets));
            }

            var key = IdempotencyKey.ForCharge(bucket.Meter, bucket.Band, bucket.HourStart, bucket.Part);
            if (!keys.Add(key))
            {
                throw new ArgumentException($"The bucket {key} appears twice; combine accruals first.", nameof(buckets));
            }

            rated += bucket.Exact;
            (var postable, carry) = MoneyRounding.ToPostable(bucket.Exact, carry);
            if (postable > Money.Zero)
            {
                postings.Add(Posting.Charge(account, bucket.Band, postable, key));
                posted += postable;
            }
        }

        return new ChargePostingBatch([.. postings], posted, carry, rated);
    }
}
