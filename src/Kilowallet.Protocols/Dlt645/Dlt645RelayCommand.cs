namespace Kilowallet.Protocols.Dlt645;

/// <summary>N1 of the relay and alarm control frame (C = 1C).</summary>
public enum Dlt645RelayCommand : byte
{
    Trip = 0x1A,

    /// <summary>Close allowed: the customer must press the meter's button.</summary>
    CloseAllowed = 0x1B,

    /// <summary>Direct close (later State Grid specifications).</summary>
    DirectClose = 0x1C,
    AlarmOn = 0x2A,
    AlarmOff = 0x2B,

    /// <summary>Keep power (保电) on: the meter refuses to trip.</summary>
    KeepPowerOn = 0x3A,
    KeepPowerOff = 0x3B,
}
