using System.Buffers.Binary;

namespace Kilowallet.Protocols.Modbus;

/// <summary>A decoded response PDU, as a view over the received bytes (no copy, no allocation).</summary>
public readonly ref struct ModbusResponseView
{
    internal ModbusResponseView(byte functionCode, ModbusExceptionCode exceptionCode, ushort address, ushort quantityOrValue, ReadOnlySpan<byte> data)
    {
        FunctionCode = functionCode;
        ExceptionCode = exceptionCode;
        Address = address;
        QuantityOrValue = quantityOrValue;
        Data = data;
    }

    /// <summary>The function code without the exception bit.</summary>
    public byte FunctionCode { get; }

    public ModbusFunction Function => (ModbusFunction)FunctionCode;

    public bool IsException => ExceptionCode != ModbusExceptionCode.None;

    public ModbusExceptionCode ExceptionCode { get; }

    /// <summary>Echoed address of a write response.</summary>
    public ushort Address { get; }

    /// <summary>Echoed quantity (FC 0F/10) or value (FC 05/06) of a write response.</summary>
    public ushort QuantityOrValue { get; }

    /// <summary>Register bytes (FC 03/04) or packed bits (FC 01/02), after the byte count.</summary>
    public ReadOnlySpan<byte> Data { get; }

    public int RegisterCount => Data.Length / 2;

    public ushort GetRegister(int index) => BinaryPrimitives.ReadUInt16BigEndian(Data.Slice(index * 2, 2));

    public bool GetBit(int index) => (Data[index >> 3] & (1 << (index & 7))) != 0;

    public void CopyRegisters(Span<ushort> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(Data.Slice(i * 2, 2));
        }
    }

    public void CopyBits(Span<bool> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = GetBit(i);
        }
    }
}
