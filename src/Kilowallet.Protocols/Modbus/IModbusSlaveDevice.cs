namespace Kilowallet.Protocols.Modbus;

/// <summary>
/// A device behind a slave server (one unit id). Each method fills or takes the values and returns
/// <see cref="ModbusExceptionCode.None"/>, or the exception code to answer with. Methods a device does not
/// support answer <see cref="ModbusExceptionCode.IllegalFunction"/> by default. Calls come one at a time
/// per server when it serialises requests (the default), but from thread-pool threads.
/// </summary>
public interface IModbusSlaveDevice
{
    ModbusExceptionCode ReadHoldingRegisters(ushort address, Span<ushort> values) => ModbusExceptionCode.IllegalFunction;

    ModbusExceptionCode ReadInputRegisters(ushort address, Span<ushort> values) => ModbusExceptionCode.IllegalFunction;

    ModbusExceptionCode ReadCoils(ushort address, Span<bool> values) => ModbusExceptionCode.IllegalFunction;

    ModbusExceptionCode ReadDiscreteInputs(ushort address, Span<bool> values) => ModbusExceptionCode.IllegalFunction;

    ModbusExceptionCode WriteSingleRegister(ushort address, ushort value) => ModbusExceptionCode.IllegalFunction;

    ModbusExceptionCode WriteMultipleRegisters(ushort address, ReadOnlySpan<ushort> values) => ModbusExceptionCode.IllegalFunction;

    ModbusExceptionCode WriteSingleCoil(ushort address, bool value) => ModbusExceptionCode.IllegalFunction;

    ModbusExceptionCode WriteMultipleCoils(ushort address, ReadOnlySpan<bool> values) => ModbusExceptionCode.IllegalFunction;
}
