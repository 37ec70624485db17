using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator.Wire;

/// <summary>
/// One virtual meter behind a Modbus slave server: reads answer the meter's live values encoded by its profile;
/// single writes matching the profile's relay commands (and one-value FC15/FC16 writes to the same place) operate the
/// relay. A meter that is silent (offline, or its bus) acts on nothing; the reply planner drops its reply.
/// </summary>
internal sealed class VirtualModbusDevice(VirtualMeter meter, ModbusRegisterMap map) : IModbusSlaveDevice
{
    public ModbusExceptionCode ReadHoldingRegisters(ushort address, Span<ushort> values) =>
        map.ReadRegisters(ModbusFunction.ReadHoldingRegisters, meter.Read(), address, values);

    public ModbusExceptionCode ReadInputRegisters(ushort address, Span<ushort> values) =>
        map.ReadRegisters(ModbusFunction.ReadInputRegisters, meter.Read(), address, values);

    public ModbusExceptionCode ReadCoils(ushort address, Span<bool> values) =>
        map.ReadBits(ModbusFunction.ReadCoils, meter.Read().Relay, address, values);

    public ModbusExceptionCode ReadDiscreteInputs(ushort address, Span<bool> values) =>
        map.ReadBits(ModbusFunction.ReadDiscreteInputs, meter.Read().Relay, address, values);

    public ModbusExceptionCode WriteSingleCoil(ushort address, bool value) =>
        Command(ModbusFunction.WriteSingleCoil, address, value ? (ushort)1 : (ushort)0);

    public ModbusExceptionCode WriteSingleRegister(ushort address, ushort value) =>
        Command(ModbusFunction.WriteSingleRegister, address, value);

    public ModbusExceptionCode WriteMultipleCoils(ushort address, ReadOnlySpan<bool> values) =>
        values.Length == 1 ? WriteSingleCoil(address, values[0]) : ModbusExceptionCode.IllegalDataAddress;

    public ModbusExceptionCode WriteMultipleRegisters(ushort address, ReadOnlySpan<ushort> values) =>
        values.Length == 1 ? WriteSingleRegister(address, values[0]) : ModbusExceptionCode.IllegalDataAddress;

    private ModbusExceptionCode Command(ModbusFunction function, ushort address, ushort value)
    {
        var action = map.RelayCommandAt(function, address, value, out var error);
        if (action is null)
        {
            return error;
        }

        if (meter.Communication.Silent)
        {
            return ModbusExceptionCode.ServerDeviceFailure;
        }

        return meter.ApplyRelayCommand(ToCommand(action.Value)) == RelayOutcome.NoRelay
            ? ModbusExceptionCode.IllegalFunction
            : ModbusExceptionCode.None;
    }

    /// <summary>A profile's relay action as the meter's command: "close" closes at once, "close_allowed" arms the button.</summary>
    internal static RelayCommand ToCommand(RelayAction action) => action switch
    {
        RelayAction.Trip => RelayCommand.Open,
        RelayAction.Close => RelayCommand.CloseDirect,
        _ => RelayCommand.CloseAllowed,
    };
}
