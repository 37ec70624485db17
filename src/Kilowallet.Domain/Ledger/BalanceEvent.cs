namespace Kilowallet.Domain.Ledger;

/// <summary>A balance crossing reported by <see cref="BalanceWatch"/>; each fires once per crossing.</summary>
public enum BalanceEvent
{
    /// <summary>The balance fell to or below warning level 1.</summary>
    CrossedWarning1 = 0,

    /// <summary>The balance fell to or below warning level 2.</summary>
    CrossedWarning2 = 1,

    /// <summary>The balance fell to or below the trip level.</summary>
    Exhausted = 2,

    /// <summary>After being exhausted, the balance rose above the reconnect level.</summary>
    BackAboveReconnectLevel = 3,
}
