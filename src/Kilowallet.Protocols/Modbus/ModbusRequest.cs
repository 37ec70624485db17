namespace Kilowallet.Protocols.Modbus;

/// <summary>
/// A Modbus request as a master builds it. Use the factory methods; they enforce the protocol limits
/// (a caller error throws <see cref="ArgumentOutOfRangeException"/>; wire bytes never do).
/// </summary>
public readonly record struct ModbusRequest
{
    private ModbusRequest(ModbusFunction function, ushort address, ushort quantity, ushort value, ReadOnlyMemory<ushort> registers, ReadOnlyMemory<bool> coils)
    {
        Function = function;
        Address = address;
        Quantity = quantity;
        Value = value;
        Registers = registers;
        Coils = coils;
    }

    public ModbusFunction Function { get; }

    public ushort Address { get; }

    /// <summary>Registers or bits read or written (1 for the single writes).</summary>
    public ushort Quantity { get; }

    /// <summary>The value of a single register write, or FF00/0000 for a single coil write.</summary>
    public ushort Value { get; }

    public ReadOnlyMemory<ushort> Registers { get; }

    public ReadOnlyMemory<bool> Coils { get; }

    /// <summary>Length of the encoded PDU.</summary>
    public int PduLength => Function switch
    {
        ModbusFunction.WriteMultipleCoils => 6 + ((Quantity + 7) / 8),
        ModbusFunction.WriteMultipleRegisters => 6 + (2 * Quantity),
        _ => 5,
    };

    /// <summary>Length of the normal response PDU this request expects.</summary>
    public int ExpectedResponsePduLength => Function switch
    {
        ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs => 2 + ((Quantity + 7) / 8),
        ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters => 2 + (2 * Quantity),
        _ => 5,
    };

    public static ModbusRequest ReadCoils(ushort address, ushort quantity) => ReadBits(ModbusFunction.ReadCoils, address, quantity);

    public static ModbusRequest ReadDiscreteInputs(ushort address, ushort quantity) => ReadBits(ModbusFunction.ReadDiscreteInputs, address, quantity);

    public static ModbusRequest ReadHoldingRegisters(ushort address, ushort quantity) => ReadRegisters(ModbusFunction.ReadHoldingRegisters, address, quantity);

    public static ModbusRequest ReadInputRegisters(ushort address, ushort quantity) => ReadRegisters(ModbusFunction.ReadInputRegisters, address, quantity);

    /// <summary>A read of registers (FC 03 or 04) or bits (FC 01 or 02).</summary>
    public static ModbusRequest Read(ModbusFunction function, ushort address, ushort quantity) => function switch
    {
        ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs => ReadBits(function, address, quantity),
        ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters => ReadRegisters(function, address, quantity),
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "Not a read function."),
    };

    public static ModbusRequest WriteSingleCoil(ushort address, bool on) =>
        new(ModbusFunction.WriteSingleCoil, address, 1, on ? (ushort)0xFF00 : (ushort)0x0000, default, default);

    public static ModbusRequest WriteSingleRegister(ushort address, ushort value) =>
        new(ModbusFunction.WriteSingleRegister, address, 1, value, default, default);

    public static ModbusRequest WriteMultipleCoils(ushort address, ReadOnlyMemory<bool> values)
    {
        CheckQuantity(values.Length, ModbusLimits.MaxWriteBits, address);
        return new(ModbusFunction.WriteMultipleCoils, address, (ushort)values.Length, 0, default, values);
    }

    public static ModbusRequest WriteMultipleRegisters(ushort address, ReadOnlyMemory<ushort> values)
    {
        CheckQuantity(values.Length, ModbusLimits.MaxWriteRegisters, address);
        return new(ModbusFunction.WriteMultipleRegisters, address, (ushort)values.Length, 0, values, default);
    }

    /// <summary>Encodes the PDU (function code and data) into <paramref name="destination"/>; returns its length.</summary>
    public int Encode(Span<byte> destination) => Function switch
    {
        ModbusFunction.WriteMultipleCoils => ModbusPdu.WriteMultipleCoilsRequest(destination, Address, Coils.Span),
        ModbusFunction.WriteMultipleRegisters => ModbusPdu.WriteMultipleRegistersRequest(destination, Address, Registers.Span),
        _ => ModbusPdu.WriteFourByteRequest(destination, Function, Address, Function is ModbusFunction.WriteSingleCoil or ModbusFunction.WriteSingleRegister ? Value : Quantity),
    };

    private static ModbusRequest ReadBits(ModbusFunction function, ushort address, ushort quantity)
    {
        CheckQuantity(quantity, ModbusLimits.MaxReadBits, address);
        return new(function, address, quantity, 0, default, default);
    }

    private static ModbusRequest ReadRegisters(ModbusFunction function, ushort address, ushort quantity)
    {
        CheckQuantity(quantity, ModbusLimits.MaxReadRegisters, address);
        return new(function, address, quantity, 0, default, default);
    }

    private static void CheckQuantity(int quantity, int max, ushort address)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, max);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(address + quantity, 0x10000, nameof(quantity));
    }
}
