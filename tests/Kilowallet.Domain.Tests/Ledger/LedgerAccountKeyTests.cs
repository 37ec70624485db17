using Kilowallet.Domain.Ledger;

namespace Kilowallet.Domain.Tests.Ledger;

public sealed class LedgerAccountKeyTests
{
    public static TheoryData<string> StableForms() =>
    [
        "wallet:42", "revenue:sharp", "revenue:peak", "revenue:flat", "revenue:valley", "fixed-fee-revenue",
        "cash:cashier-7", "clearing:demo-pay", "refunds:bank-transfer", "adjustments", "opening-equity",
    ];

    [Theory]
    [MemberData(nameof(StableForms))]
    public void Stable_text_parses_back_to_a_key_with_the_same_text(string text)
    {
        var key = LedgerAccountKey.Parse(text);

        Assert.Equal(text, key.ToString());
        Assert.True(key.IsSpecified);
    }

    [Fact]
    public void Factories_produce_the_documented_text()
    {
        Assert.Equal("wallet:42", LedgerAccountKey.Wallet(AccountId.From(42)).ToString());
        Assert.Equal("revenue:peak", LedgerAccountKey.Revenue(RevenueBand.Peak).ToString());
        Assert.Equal("cash:cashier-7", LedgerAccountKey.CashDrawer("cashier-7").ToString());
        Assert.Equal("clearing:demo-pay", LedgerAccountKey.Clearing("demo-pay").ToString());
        Assert.Equal("refunds:bank-transfer", LedgerAccountKey.RefundsPayable("bank-transfer").ToString());
    }

    [Fact]
    public void A_wallet_key_knows_its_account_and_a_revenue_key_its_band()
    {
        Assert.Equal(AccountId.From(42), LedgerAccountKey.Parse("wallet:42").WalletAccount);
        Assert.Equal(RevenueBand.Valley, LedgerAccountKey.Parse("revenue:valley").Band);
        Assert.Null(LedgerAccountKey.Adjustments.WalletAccount);
        Assert.Null(LedgerAccountKey.Adjustments.Band);
    }

    [Theory]
    [InlineData("")]
    [InlineData("wallet")]
    [InlineData("wallet:")]
    [InlineData("wallet:0")]
    [InlineData("wallet:042")]
    [InlineData("wallet:-1")]
    [InlineData("wallet:99999999999999999999")]
    [InlineData("revenue:noon")]
    [InlineData("cash:")]
    [InlineData("cash:with space")]
    [InlineData("adjustments:x")]
    [InlineData("savings:1")]
    public void Malformed_text_is_not_a_key(string text) =>
        Assert.False(LedgerAccountKey.TryParse(text, out _));

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("colon:inside")]
    [InlineData("收银员")]
    public void A_bad_qualifier_is_refused(string qualifier) =>
        Assert.Throws<ArgumentException>(() => LedgerAccountKey.CashDrawer(qualifier));

    [Fact]
    public void The_default_key_is_unspecified() =>
        Assert.False(default(LedgerAccountKey).IsSpecified);
}
