namespace Kilowallet.Protocols.Profiles;

/// <summary>The Modbus side of a profile.</summary>
public sealed record ModbusProfileMap(
    byte DefaultUnit,
    int MaxGap,
    int MaxBlock,
    IReadOnlyList<ModbusPoint> Points,
    ModbusRelayStatePoint? RelayState,
    IReadOnlyDictionary<RelayAction, ModbusRelayCommand> RelayCommands);
