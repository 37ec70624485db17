using Kilowallet.Domain.Ledger;

namespace Kilowallet.Domain.Tests.Ledger;

public sealed class IdempotencyKeyTests
{
    [Fact]
    public void Each_scope_has_a_readable_stable_text()
    {
        Assert.Equal("receipt:R-000123", IdempotencyKey.ForReceipt("R-000123").ToString());
        Assert.Equal("provider:demo-pay:TX42", IdempotencyKey.ForProviderTransaction("demo-pay", "TX42").ToString());
        Assert.Equal("client:user-7:5f1c", IdempotencyKey.ForClientRequest("user-7", "5f1c").ToString());
        Assert.Equal("system:fee:42:2025-01", IdempotencyKey.ForSystem("fee:42:2025-01").ToString());
        Assert.Equal(
            "charge:m42:peak:2025-01-01T02Z",
            IdempotencyKey.ForCharge(MeterId.From(42), RevenueBand.Peak, new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.FromHours(8))).ToString());
        Assert.Equal(
            "reversal:receipt:R-1",
            IdempotencyKey.ForReversalOf(IdempotencyKey.ForReceipt("R-1")).ToString());
    }

    [Fact]
    public void Text_parses_back_to_an_equal_key()
    {
        var keys = new[]
        {
            IdempotencyKey.ForReceipt("R-000123"),
            IdempotencyKey.ForProviderTransaction("demo-pay", "TX:42"),
            IdempotencyKey.ForClientRequest("user-7", "abc def"),
            IdempotencyKey.ForReversalOf(IdempotencyKey.ForReversalOf(IdempotencyKey.ForSystem("fee:42"))),
        };

        foreach (var key in keys)
        {
            Assert.Equal(key, IdempotencyKey.Parse(key.ToString()));
        }
    }

    [Fact]
    public void The_same_receipt_number_makes_the_same_key_so_a_retry_is_recognised() =>
        Assert.Equal(IdempotencyKey.ForReceipt("R-9"), IdempotencyKey.ForReceipt("R-9"));

    [Fact]
    public void The_same_client_key_from_two_principals_makes_two_keys() =>
        Assert.NotEqual(IdempotencyKey.ForClientRequest("user-1", "k"), IdempotencyKey.ForClientRequest("user-2", "k"));

    [Theory]
    [InlineData("")]
    [InlineData(" R-1")]
    [InlineData("R-1\n")]
    public void Blank_or_padded_receipt_numbers_are_refused(string receipt) =>
        Assert.Throws<ArgumentException>(() => IdempotencyKey.ForReceipt(receipt));

    [Theory]
    [InlineData("")]
    [InlineData("receipt")]
    [InlineData("receipt:")]
    [InlineData("refund:R-1")]
    public void Malformed_text_is_not_a_key(string text) =>
        Assert.False(IdempotencyKey.TryParse(text, out _));
}
