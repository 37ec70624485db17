using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kilowallet.Domain.Ledger;

namespace Kilowallet.Domain.Tests.Ledger;

public sealed class ChargePostingTests
{
    private static readonly AccountId Account = AccountId.From(7);
    private static readonly DateTimeOffset Hour0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static AccruedCharge Bucket(int meter, RevenueBand band, int hour, decimal exact) =>
        new(MeterId.From(meter), band, Hour0.AddHours(hour), Money.Yuan(exact));

    [Fact]
    public void Sub_cent_remainders_are_carried_from_bucket_to_bucket()
    {
        var batch = ChargePosting.Post(
            Account,
            [Bucket(1, RevenueBand.Peak, 0, 0.333m), Bucket(1, RevenueBand.Peak, 1, 0.333m), Bucket(1, RevenueBand.Peak, 2, 0.333m)],
            Money.Zero);

        Assert.Equal([33L, 33L, 33L], batch.Postings.Select(p => -p.AmountFor(LedgerAccountKey.Wallet(Account))));
        Assert.Equal(Money.Yuan(0.009m), batch.Carry);
        Assert.Equal(Money.Yuan(0.999m), batch.Rated);
    }

    [Fact]
    public void A_bucket_smaller_than_a_cent_posts_nothing_until_the_carry_reaches_a_cent()
    {
        var first = ChargePosting.Post(Account, [Bucket(1, RevenueBand.Valley, 0, 0.006m)], Money.Zero);
        var second = ChargePosting.Post(Account, [Bucket(1, RevenueBand.Valley, 1, 0.006m)], first.Carry);

        Assert.Empty(first.Postings);
        Assert.Equal(Money.Yuan(0.006m), first.Carry);
        Assert.Equal(1, -Assert.Single(second.Postings).AmountFor(LedgerAccountKey.Wallet(Account)));
        Assert.Equal(Money.Yuan(0.002m), second.Carry);
    }

    [Fact]
    public void Each_charge_posting_is_keyed_by_its_meter_band_and_hour()
    {
        var batch = ChargePosting.Post(Account, [Bucket(42, RevenueBand.Sharp, 10, 1.5m)], Money.Zero);

        var posting = Assert.Single(batch.Postings);
        Assert.Equal("charge:m42:sharp:2025-03-01T10Z", posting.Key.ToString());
        Assert.Equal(150, posting.AmountFor(LedgerAccountKey.Revenue(RevenueBand.Sharp)));
    }

    [Fact]
    public void A_bucket_posted_again_after_late_data_gets_its_own_key()
    {
        var late = new AccruedCharge(MeterId.From(42), RevenueBand.Sharp, Hour0.AddHours(10), Money.Yuan(0.5m), Part: 1);

        var posting = Assert.Single(ChargePosting.Post(Account, [late], Money.Zero).Postings);

        Assert.Equal("charge:m42:sharp:2025-03-01T10Z/1", posting.Key.ToString());
        Assert.Equal(posting.Key, IdempotencyKey.Parse(posting.Key.ToString()));
    }

    [Fact]
    public void The_same_bucket_twice_is_refused()
    {
        var bucket = Bucket(1, RevenueBand.Flat, 0, 1m);

        Assert.Throws<ArgumentException>(() => ChargePosting.Post(Account, [bucket, bucket], Money.Zero));
    }

    [Fact]
    public void Combine_adds_accruals_of_the_same_bucket_and_files_them_under_their_utc_hour()
    {
        var combined = ChargePosting.Combine(
        [
            new(MeterId.From(1), RevenueBand.Flat, Hour0.AddMinutes(5), Money.Yuan(0.1234m)),
            new(MeterId.From(1), RevenueBand.Flat, Hour0.AddMinutes(50), Money.Yuan(0.0001m)),
            new(MeterId.From(1), RevenueBand.Flat, Hour0.AddMinutes(65), Money.Yuan(1m)),
        ]);

        Assert.Equal(
            [Bucket(1, RevenueBand.Flat, 0, 0.1235m), Bucket(1, RevenueBand.Flat, 1, 1m)],
            combined);
    }

    [Fact]
    public void Negative_buckets_unaligned_hours_and_out_of_range_carries_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ChargePosting.Post(Account, [Bucket(1, RevenueBand.Flat, 0, -0.01m)], Money.Zero));
        Assert.Throws<ArgumentException>(() => ChargePosting.Post(
            Account, [new(MeterId.From(1), RevenueBand.Flat, Hour0.AddMinutes(1), Money.Yuan(1m))], Money.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChargePosting.Post(Account, [], Money.Yuan(0.01m)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChargePosting.Post(Account, [], Money.Yuan(-0.001m)));
    }

    [Fact]
    public void Available_balance_is_the_posted_balance_less_unposted_charges() =>
        Assert.Equal(Money.Yuan(9.8766m), LedgerBalances.Available(Money.Yuan(10m), Money.Yuan(0.1234m)));

    private static readonly Arbitrary<decimal[][]> Hours = Gen.ArrayOf(
            Gen.ArrayOf(
                from numerator in Gen.Choose(0, 2_000_000)
                from scale in Gen.Elements(100, 1000, 10_000, 1_000_000)
                select (decimal)numerator / scale))
        .ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Posting_hour_after_hour_never_drifts_and_posted_plus_unposted_equals_the_rated_total_exactly() =>
        Prop.ForAll(Hours, hours =>
        {
            var carry = Money.Zero;
            var posted = Money.Zero;
            var rated = Money.Zero;
            for (var hour = 0; hour < hours.Length; hour++)
            {
                var buckets = hours[hour]
                    .Select((exact, i) => Bucket(1 + (i / 4), (RevenueBand)(i % 4), hour, exact))
                    .ToList();
                var batch = ChargePosting.Post(Account, buckets, carry);

                Assert.Equal(batch.Posted + batch.Carry, batch.Rated + carry);
                Assert.True(batch.Carry >= Money.Zero && batch.Carry < Money.FromMinorUnits(1));
                Assert.All(batch.Postings, p => Assert.Equal(0, p.Lines.Sum(l => l.AmountMinor)));
                Assert.Equal(batch.Posted.ToMinorUnits(), -LedgerBalances.BalanceOf(LedgerAccountKey.Wallet(Account), batch.Postings));
                carry = batch.Carry;
                posted += batch.Posted;
                rated += batch.Rated;
            }

            Assert.Equal(rated, posted + carry);
        });
}
