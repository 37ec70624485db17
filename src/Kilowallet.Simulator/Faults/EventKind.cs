namespace Kilowallet.Simulator.Faults;

/// <summary>An injectable event or fault.</summary>
public enum EventKind
{
    /// <summary>An illegal appliance: a resistive step of N kW (primary side) at power factor 0.99 on one phase.</summary>
    MaliciousLoad = 0,

    /// <summary>Extra load of N kW (default 120 % of the power limit), so the meter is above its limit.</summary>
    Overload = 1,

    /// <summary>Supply voltage drops (default 180 V) on every phase, or on one.</summary>
    VoltageSag = 2,

    /// <summary>Supply voltage rises (default 260 V) on every phase, or on one.</summary>
    VoltageSwell = 3,

    /// <summary>One phase of a three-phase meter has 0 V and 0 A.</summary>
    PhaseLoss = 4,

    /// <summary>The meter does not reply.</summary>
    Offline = 5,

    /// <summary>The whole bus (gateway) is silent.</summary>
    GatewayOffline = 6,

    /// <summary>Replies are delayed by an extra time.</summary>
    SlowResponses = 7,

    /// <summary>A fraction of replies is corrupted (the protocol layer applies it).</summary>
    CrcErrors = 8,

    /// <summary>The meter is replaced: its energy registers restart from 0 or a given value.</summary>
    CounterReset = 9,

    /// <summary>The meter's clock runs ahead (positive) or behind (negative), which shifts its TOU bands.</summary>
    ClockDrift = 10,

    /// <summary>Load flows although the relay reports open.</summary>
    Bypass = 11,
}
