namespace Kilowallet.Domain.Ledger;

/// <summary>What a ledger account represents. See <see cref="LedgerAccountKey"/> for the stable text of each.</summary>
public enum LedgerAccountKind
{
    /// <summary>A tenant's prepaid wallet, one per <see cref="AccountId"/>. Positive balance: money held for the tenant.</summary>
    Wallet = 0,

    /// <summary>Energy revenue of one tariff band. Positive balance: revenue earned.</summary>
    Revenue = 1,

    /// <summary>Revenue from fixed daily or monthly charges. Positive balance: revenue earned.</summary>
    FixedFeeRevenue = 2,

    /// <summary>A cashier's cash drawer. Negative balance: cash collected and held in the drawer.</summary>
    CashDrawer = 3,

    /// <summary>Money a payment provider has collected and owes the property. Negative balance: receivable.</summary>
    Clearing = 4,

    /// <summary>Refunds owed to tenants, per payout channel. Positive balance: still to be paid out.</summary>
    RefundsPayable = 5,

    /// <summary>The counter-account of operator adjustments and write-offs.</summary>
    Adjustments = 6,

    /// <summary>The counter-account of balances brought over from a previous system.</summary>
    OpeningEquity = 7,
}
