using System.Buffers.Binary;

namespace Kilowallet.Protocols.Modbus;

/// <summary>A decoded request PDU, as a view over the received bytes (no copy, no allocation).</summary>
public readonly ref struct ModbusRequestView
{
    internal ModbusRequestView(ModbusFunction function, ushort address, ushort quantity, ushort value, ReadOnlySpan<byte> data)
    {
        Function = function;
        Address = address;
        Quantity = quantity;
        Value = value;
        Data = data;
    }

    public ModbusFunction Function { get; }

    public ushort Address { get; }

    /// <summary>Registers or bits addressed (1 for single writes).</summary>
    public ushort Quantity { get; }

    /// <summary>Value of a single register write; FF00 or 0000 for a single coil write.</summary>
    public ushort Value { get; }

    /// <summary>The packed values of FC 0F / 10.</summary>
    public ReadOnlySpan<byte> Data { get; }

    public bool SingleCoilOn => Value == 0xFF00;

    public ushort GetRegister(int index) => BinaryPrimitives.ReadUInt16BigEndian(Data.Slice(index * 2, 2));

    public bool GetBit(int index) => (Data[index >> 3] & (1 << (index & 7))) != 0;
}
