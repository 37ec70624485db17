using Kilowallet.Domain.Ledger;

namespace Kilowallet.Domain.Tests.Ledger;

public sealed class PostingTests
{
    private static readonly AccountId Shop12 = AccountId.From(12);
    private static readonly AccountId Shop13 = AccountId.From(13);
    private static readonly LedgerAccountKey Wallet12 = LedgerAccountKey.Wallet(Shop12);
    private static readonly LedgerAccountKey Wallet13 = LedgerAccountKey.Wallet(Shop13);
    private static readonly LedgerAccountKey Drawer = LedgerAccountKey.CashDrawer("cashier-7");

    private static IdempotencyKey Receipt(string number = "R-1") => IdempotencyKey.ForReceipt(number);

    [Fact]
    public void A_top_up_credits_the_wallet_and_debits_the_cash_drawer()
    {
        var posting = Posting.TopUp(Shop12, Money.Yuan(200m), Drawer, Receipt());

        Assert.Equal(PostingKind.TopUp, posting.Kind);
        Assert.Equal(20000, posting.AmountFor(Wallet12));
        Assert.Equal(-20000, posting.AmountFor(Drawer));
        Assert.Equal("receipt:R-1", posting.Key.ToString());
    }

    [Fact]
    public void An_online_top_up_debits_the_providers_clearing_account()
    {
        var clearing = LedgerAccountKey.Clearing("demo-pay");

        var posting = Posting.TopUp(Shop12, Money.Yuan(50m), clearing, IdempotencyKey.ForProviderTransaction("demo-pay", "TX1"));

        Assert.Equal(-5000, posting.AmountFor(clearing));
    }

    [Fact]
    public void A_top_up_cannot_be_funded_from_revenue() =>
        Assert.Throws<ArgumentException>(() =>
            Posting.TopUp(Shop12, Money.Yuan(1m), LedgerAccountKey.Revenue(RevenueBand.Peak), Receipt()));

    [Fact]
    public void A_charge_debits_the_wallet_and_credits_the_bands_revenue()
    {
        var posting = Posting.Charge(Shop12, RevenueBand.Valley, Money.Yuan(1.23m), IdempotencyKey.ForSystem("c1"));

        Assert.Equal(-123, posting.AmountFor(Wallet12));
        Assert.Equal(123, posting.AmountFor(LedgerAccountKey.Revenue(RevenueBand.Valley)));
    }

    [Fact]
    public void A_fixed_fee_credits_fixed_fee_revenue()
    {
        var posting = Posting.FixedFee(Shop12, Money.Yuan(30m), IdempotencyKey.ForSystem("fee:12:2025-01"), "Service fee 2025-01");

        Assert.Equal(3000, posting.AmountFor(LedgerAccountKey.FixedFeeRevenue));
        Assert.Equal("Service fee 2025-01", posting.Reason);
    }

    [Fact]
    public void A_refund_moves_money_from_the_wallet_to_refunds_payable()
    {
        var posting = Posting.Refund(Shop12, Money.Yuan(20m), "bank-transfer", Receipt(), "Moving out", "op-1");

        Assert.Equal(-2000, posting.AmountFor(Wallet12));
        Assert.Equal(2000, posting.AmountFor(LedgerAccountKey.RefundsPayable("bank-transfer")));
    }

    [Fact]
    public void A_transfer_moves_credit_between_two_wallets()
    {
        var posting = Posting.Transfer(Shop12, Shop13, Money.Yuan(5m), Receipt(), "Same tenant", "op-1");

        Assert.Equal(-500, posting.AmountFor(Wallet12));
        Assert.Equal(500, posting.AmountFor(Wallet13));
    }

    [Fact]
    public void A_transfer_to_the_same_account_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Posting.Transfer(Shop12, Shop12, Money.Yuan(5m), Receipt(), "x", "op-1"));

        Assert.Contains("two different accounts", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "op-1")]
    [InlineData("  ", "op-1")]
    [InlineData("Meter misread", null)]
    public void An_adjustment_needs_a_reason_and_an_operator(string? reason, string? operatorId) =>
        Assert.Throws<ArgumentException>(() =>
            Posting.Adjustment(Shop12, Money.Yuan(-3m), Receipt(), reason!, operatorId!));

    [Fact]
    public void An_adjustment_may_debit_or_credit_the_wallet()
    {
        var debit = Posting.Adjustment(Shop12, Money.Yuan(-3m), Receipt("A-1"), "Meter misread", "op-1");
        var credit = Posting.Adjustment(Shop12, Money.Yuan(3m), Receipt("A-2"), "Goodwill", "op-1");

        Assert.Equal(-300, debit.AmountFor(Wallet12));
        Assert.Equal(300, credit.AmountFor(Wallet12));
        Assert.Equal(-300, credit.AmountFor(LedgerAccountKey.Adjustments));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("0.001")]
    [InlineData("1.005")]
    public void A_top_up_of_zero_negative_or_sub_cent_amounts_is_refused(string amount) =>
        Assert.ThrowsAny<ArgumentException>(() =>
            Posting.TopUp(Shop12, Money.Yuan(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)), Drawer, Receipt()));

    [Fact]
    public void A_zero_adjustment_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Posting.Adjustment(Shop12, Money.Zero, Receipt(), "r", "op-1"));

    [Fact]
    public void Opening_balance_may_bring_over_a_debt()
    {
        var posting = Posting.OpeningBalance(Shop12, Money.Yuan(-12.5m), IdempotencyKey.ForSystem("import:row-3"), "op-1");

        Assert.Equal(-1250, posting.AmountFor(Wallet12));
        Assert.Equal(1250, posting.AmountFor(LedgerAccountKey.OpeningEquity));
    }

    [Fact]
    public void Closing_settlement_empties_a_credit_balance_to_refunds_payable()
    {
        var refunds = LedgerAccountKey.RefundsPayable("cash");

        var posting = Posting.ClosingSettlement(Shop12, Money.Yuan(17.42m), refunds, Receipt(), "op-1");

        Assert.Equal(-1742, posting.AmountFor(Wallet12));
        Assert.Equal(1742, posting.AmountFor(refunds));
    }

    [Fact]
    public void Closing_settlement_writes_a_debt_off_to_adjustments()
    {
        var posting = Posting.ClosingSettlement(Shop12, Money.Yuan(-3m), LedgerAccountKey.Adjustments, Receipt(), "op-1");

        Assert.Equal(300, posting.AmountFor(Wallet12));
        Assert.Equal(-300, posting.AmountFor(LedgerAccountKey.Adjustments));
    }

    [Fact]
    public void Closing_settlement_cannot_pay_a_debt_out_as_a_refund() =>
        Assert.Throws<ArgumentException>(() =>
            Posting.ClosingSettlement(Shop12, Money.Yuan(-3m), LedgerAccountKey.RefundsPayable("cash"), Receipt(), "op-1"));

    [Fact]
    public void A_reversal_is_the_exact_negation_of_the_original()
    {
        var original = Posting.TopUp(Shop12, Money.Yuan(200m), Drawer, Receipt());

        var reversal = Posting.Reverse(original, "Wrong shop", "op-1");

        Assert.Equal(PostingKind.Reversal, reversal.Kind);
        Assert.Equal(original.Lines.Select(l => l.Negated()), reversal.Lines);
        Assert.Equal("reversal:receipt:R-1", reversal.Key.ToString());
    }

    [Fact]
    public void Reversing_a_reversal_restores_the_original_lines()
    {
        var original = Posting.Charge(Shop12, RevenueBand.Peak, Money.Yuan(9.99m), IdempotencyKey.ForSystem("c"));

        var restored = Posting.Reverse(Posting.Reverse(original, "Mistake", "op-1"), "Mistake undone", "op-1");

        Assert.Equal(original.Lines, restored.Lines);
    }

    [Fact]
    public void A_reversal_needs_a_reason() =>
        Assert.Throws<ArgumentException>(() =>
            Posting.Reverse(Posting.TopUp(Shop12, Money.Yuan(1m), Drawer, Receipt()), "", "op-1"));

    [Fact]
    public void Create_refuses_lines_that_do_not_sum_to_zero()
    {
        var error = Assert.Throws<ArgumentException>(() => Posting.Create(
            PostingKind.Adjustment, [new(Wallet12, 100), new(LedgerAccountKey.Adjustments, -99)], Receipt(), "r", "op-1"));

        Assert.Contains("not zero", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_refuses_a_single_line_a_zero_line_and_a_repeated_account()
    {
        Assert.Throws<ArgumentException>(() => Posting.Create(PostingKind.TopUp, [new(Wallet12, 0)], Receipt()));
        Assert.Throws<ArgumentException>(() => Posting.Create(
            PostingKind.TopUp, [new(Wallet12, 0), new(Drawer, 0)], Receipt()));
        Assert.Throws<ArgumentException>(() => Posting.Create(
            PostingKind.TopUp, [new(Wallet12, 100), new(Wallet12, -100)], Receipt()));
    }

    [Fact]
    public void Create_refuses_an_unspecified_key_or_account()
    {
        Assert.Throws<ArgumentException>(() => Posting.Create(PostingKind.TopUp, [new(Wallet12, 1), new(Drawer, -1)], default));
        Assert.Throws<ArgumentException>(() => Posting.Create(PostingKind.TopUp, [new(Wallet12, 1), new(default, -1)], Receipt()));
    }

    [Fact]
    public void Create_rebuilds_a_stored_posting_with_the_same_lines()
    {
        var original = Posting.Transfer(Shop12, Shop13, Money.Yuan(5m), Receipt(), "Same tenant", "op-1");

        var rebuilt = Posting.Create(
            original.Kind,
            original.Lines.Select(l => new PostingLine(LedgerAccountKey.Parse(l.Account.ToString()), l.AmountMinor)),
            IdempotencyKey.Parse(original.Key.ToString()),
            original.Reason,
            original.OperatorId);

        Assert.Equal(original.Lines, rebuilt.Lines);
        Assert.Equal(original.Key, rebuilt.Key);
    }
}
