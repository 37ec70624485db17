using System.Collections.Immutable;

namespace Kilowallet.Domain.Ledger;

/// <summary>Balances derived from postings; the server's cached balances must always equal these.</summary>
public static class LedgerBalances
{
    /// <summary>The balance of one account in minor units: the sum of its lines.</summary>
    public static long BalanceOf(LedgerAccountKey account, IEnumerable<Posting> postings)
    {
        ArgumentNullException.ThrowIfNull(postings);
        long balance = 0;
        foreach (var posting in postings)
        {
            balance += posting.AmountFor(account);
        }

        return balance;
    }

    /// <summary>Every account's balance in minor units. Accounts whose lines cancel out are listed with 0.</summary>
    public static ImmutableDictionary<LedgerAccountKey, long> All(IEnumerable<Posting> postings)
    {
        ArgumentNullException.ThrowIfNull(postings);
        var balances = new Dictionary<LedgerAccountKey, long>();
        foreach (var line in postings.SelectMany(p => p.Lines))
        {
            balances[line.Account] = balances.GetValueOrDefault(line.Account) + line.AmountMinor;
        }

        return balances.ToImmutableDictionary();
    }

    /// <summary>
    /// The balance the tenant sees and control acts on: the posted wallet balance less charges that are
    /// accrued but not yet posted (<paramref name="unpostedCharges"/>: open accrual buckets plus the
    /// carried sub-cent remainder, see <see cref="ChargePosting"/>). Exact, not rounded.
    /// </summary>
    public static Money Available(Money postedBalance, Money unpostedCharges)
    {
        if (unpostedCharges < Money.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(unpostedCharges), unpostedCharges.Amount, "Unposted charges cannot be negative.");
        }

        return postedBalance - unpostedCharges;
    }
}
