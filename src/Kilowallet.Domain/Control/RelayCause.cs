namespace Kilowallet.Domain.Control;

/// <summary>Why a relay is commanded; logged with every command.</summary>
public enum RelayCause
{
    /// <summary>The balance reached the trip level.</summary>
    BalanceExhausted = 0,

    /// <summary>A top-up (or other credit) raised the balance above the reconnect level.</summary>
    BalanceRestored = 1,

    /// <summary>An operator opened or closed the relay by hand, or released a manual lock.</summary>
    Operator = 2,

    /// <summary>A keep-power (保电) exemption requires supply.</summary>
    KeepPower = 3,

    /// <summary>The meter feeds its own gateway or DTU and is never left open.</summary>
    ProtectedSupply = 4,

    /// <summary>Overload protection tripped (or is locked out).</summary>
    Overload = 5,

    /// <summary>A forbidden resistive high-power appliance was detected.</summary>
    MaliciousLoad = 6,

    /// <summary>A safety trip ended (automatic reclose or operator reset) and the balance allows supply.</summary>
    SafetyReleased = 7,
}
