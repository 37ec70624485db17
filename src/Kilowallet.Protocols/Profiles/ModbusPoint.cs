using Kilowallet.Protocols.Modbus;

namespace Kilowallet.Protocols.Profiles;

/// <summary>One quantity in a Modbus register map: function 03/04, address, type, word order, scale to the quantity's unit.</summary>
public sealed record ModbusPoint(MeterQuantity Quantity, ModbusFunction Function, ushort Address, RegisterType Type, WordOrder WordOrder, decimal Scale)
{
    public int RegisterCount => Type switch
    {
        RegisterType.U16 or RegisterType.S16 => 1,
        RegisterType.U64 => 4,
        _ => 2,
    };
}
