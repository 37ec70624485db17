namespace Kilowallet.Protocols.Modbus;

/// <summary>A decoded RTU ADU: slave address and PDU (a view over the received bytes; CRC already checked).</summary>
public readonly ref struct ModbusRtuFrame
{
    internal ModbusRtuFrame(byte unit, ReadOnlySpan<byte> pdu)
    {
        Unit = unit;
        Pdu = pdu;
    }

    public byte Unit { get; }

    public ReadOnlySpan<byte> Pdu { get; }

    /// <summary>Length of the whole ADU: address + PDU + CRC.</summary>
    public int Length => Pdu.Length + 3;
}
