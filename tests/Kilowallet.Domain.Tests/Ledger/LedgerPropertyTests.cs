using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kilowallet.Domain.Ledger;

namespace Kilowallet.Domain.Tests.Ledger;

public sealed class LedgerPropertyTests
{
    private const int Wallets = 4;

    /// <summary>One random operation: what kind, which wallets, how much, which earlier posting to reverse.</summary>
    private sealed record Operation(int Kind, int Wallet, int OtherWallet, long AmountMinor, int Target, RevenueBand Band);

    private static readonly Arbitrary<Operation[]> Operations = Gen.ArrayOf(
            from kind in Gen.Choose(0, 6)
            from wallet in Gen.Choose(1, Wallets)
            from other in Gen.Choose(1, Wallets)
            from amount in Gen.Choose(1, 5_000_000)
            from target in Gen.Choose(0, 1000)
            from band in Gen.Elements(Enum.GetValues<RevenueBand>())
            select new Operation(kind, wallet, other, amount, target, band))
        .ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Any_sequence_of_money_movements_keeps_every_wallet_equal_to_the_sum_of_its_lines_and_the_ledger_at_zero() =>
        Prop.ForAll(Operations, operations =>
        {
            var (postings, expected) = Run(operations);
            var balances = LedgerBalances.All(postings);

            foreach (var (wallet, balance) in expected)
            {
                var key = LedgerAccountKey.Wallet(AccountId.From(wallet));
                Assert.Equal(balance, balances.GetValueOrDefault(key));
                Assert.Equal(balance, LedgerBalances.BalanceOf(key, postings));
            }

            Assert.Equal(0, balances.Values.Sum());
        });

    [Property(MaxTest = 300)]
    public Property Every_posting_balances_to_zero_with_no_zero_lines() =>
        Prop.ForAll(Operations, operations =>
            Run(operations).Postings.All(p => p.Lines.Sum(l => l.AmountMinor) == 0 && p.Lines.All(l => l.AmountMinor != 0) && p.Lines.Length >= 2));

    [Property(MaxTest = 200)]
    public Property Reversing_every_posting_brings_every_account_back_to_zero() =>
        Prop.ForAll(Operations, operations =>
        {
            var postings = Run(operations).Postings;
            var reversals = postings.Select(p => Posting.Reverse(p, "Undo", "op-1"));

            return LedgerBalances.All(postings.Concat(reversals)).Values.All(b => b == 0);
        });

    /// <summary>Plays the operations through the posting factories and, independently, through a plain model of wallet balances.</summary>
    private static (List<Posting> Postings, Dictionary<long, long> Expected) Run(Operation[] operations)
    {
        var postings = new List<Posting>();
        var effects = new List<Dictionary<long, long>>();
        var expected = Enumerable.Range(1, Wallets).ToDictionary(w => (long)w, _ => 0L);
        var sequence = 0;
        foreach (var op in operations)
        {
            var key = IdempotencyKey.ForSystem($"op-{sequence++}");
            var account = AccountId.From(op.Wallet);
            var amount = Money.FromMinorUnits(op.AmountMinor);
            var effect = new Dictionary<long, long>();
            Posting posting;
            switch (op.Kind)
            {
                case 0:
                    posting = Posting.TopUp(account, amount, LedgerAccountKey.CashDrawer("cashier-1"), key);
                    effect[op.Wallet] = op.AmountMinor;
                    break;
                case 1:
                    posting = Posting.Charge(account, op.Band, amount, key);
                    effect[op.Wallet] = -op.AmountMinor;
                    break;
                case 2:
                    posting = Posting.Refund(account, amount, "bank", key, "Refund", "op-1");
                    effect[op.Wallet] = -op.AmountMinor;
                    break;
                case 3 when op.OtherWallet != op.Wallet:
                    posting = Posting.Transfer(account, AccountId.From(op.OtherWallet), amount, key, "Move", "op-1");
                    effect[op.Wallet] = -op.AmountMinor;
                    effect[op.OtherWallet] = op.AmountMinor;
                    break;
                case 4:
                    var signed = op.Target % 2 == 0 ? op.AmountMinor : -op.AmountMinor;
                    posting = Posting.Adjustment(account, Money.FromMinorUnits(signed), key, "Correction", "op-1");
                    effect[op.Wallet] = signed;
                    break;
                case 5 or 6 when postings.Count > 0:
                    var target = op.Target % postings.Count;
                    posting = Posting.Reverse(postings[target], "Mistake", "op-1");
                    foreach (var (wallet, delta) in effects[target])
                    {
                        effect[wallet] = -delta;
                    }

                    break;
                default:
                    posting = Posting.FixedFee(account, amount, key);
                    effect[op.Wallet] = -op.AmountMinor;
                    break;
            }

            postings.Add(posting);
            effects.Add(effect);
            foreach (var (wallet, delta) in effect)
            {
                expected[wallet] += delta;
            }
        }

        return (postings, expected);
    }
}
