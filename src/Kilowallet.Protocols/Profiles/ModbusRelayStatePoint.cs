using Kilowallet.Protocols.Modbus;

namespace Kilowallet.Protocols.Profiles;

/// <summary>Where a Modbus meter shows its relay: a coil/discrete input (01/02) or a register (03/04) and the values meaning closed and open.</summary>
public sealed record ModbusRelayStatePoint(ModbusFunction Function, ushort Address, IReadOnlyList<ushort> ClosedValues, IReadOnlyList<ushort> OpenValues)
{
    public RelayState Interpret(ushort value) =>
        ClosedValues.Contains(value) ? RelayState.Closed : OpenValues.Contains(value) ? RelayState.Open : RelayState.Unknown;
}
