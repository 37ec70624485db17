using Kilowallet.Protocols.Modbus;

namespace Kilowallet.Protocols.Profiles;

/// <summary>A relay command as a Modbus write: single coil (value 0/1) or single register.</summary>
public sealed record ModbusRelayCommand(ModbusFunction Function, ushort Address, ushort Value);
