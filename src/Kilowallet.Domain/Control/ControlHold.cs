namespace Kilowallet.Domain.Control;

/// <summary>Why a decision leaves the relay alone although something might have asked otherwise.</summary>
public enum ControlHold
{
    None = 0,

    /// <summary>The balance is exhausted but a keep-power exemption is active.</summary>
    KeepPower = 1,

    /// <summary>The meter feeds its own gateway or DTU and is never cut.</summary>
    FeedsOwnGateway = 2,

    /// <summary>An operator lock overrides the balance.</summary>
    OperatorLock = 3,

    /// <summary>A safety hold keeps the supply cut although the balance allows supply.</summary>
    SafetyHold = 4,

    /// <summary>The relay is open for credit and the balance is not yet above the reconnect level.</summary>
    AwaitingReconnectLevel = 5,

    /// <summary>The desired state is right but the reported state differs: the relay command is still being carried out.</summary>
    AwaitingRelay = 6,
}
