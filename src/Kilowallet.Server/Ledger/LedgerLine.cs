namespace Kilowallet.Server.Ledger;

/// <summary>One line of an entry: an amount on one ledger account. Credit positive.</summary>
public sealed class LedgerLine
{
    public long Id { get; set; }

    public long EntryId { get; set; }

    public long LedgerAccountId { get; set; }

    public long AmountMinor { get; set; }
}
