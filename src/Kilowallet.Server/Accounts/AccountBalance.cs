using Kilowallet.Domain;

namespace Kilowallet.Server.Accounts;

/// <summary>
/// An account's money: the wallet's posted ledger balance, the charges rated but not yet posted
/// (exact), and what is available = posted − unposted. Control and the tenant see Available.
/// </summary>
public readonly record struct AccountBalance(Money Posted, Money Unposted)
{
    public Money Available => Posted - Unposted;

    /// <summary>The available balance in whole fen, rounded down: what a person is shown and what can be refunded.</summary>
    public long AvailableMinor => (long)decimal.Floor(Available.Amount * Money.MinorUnitsPerMajor);

    /// <summary>The available amount shown for a wallet balance (fen) and unposted charges (pico units).</summary>
    public static decimal AvailableOf(long walletMinor, long unpostedPico) =>
        Money.FromMinorUnits(new AccountBalance(Money.FromMinorUnits(walletMinor), MoneyPrecision.FromPicoUnits(unpostedPico)).AvailableMinor).Amount;
}
