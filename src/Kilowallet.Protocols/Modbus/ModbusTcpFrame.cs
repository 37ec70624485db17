namespace Kilowallet.Protocols.Modbus;

/// <summary>A decoded Modbus TCP ADU: MBAP fields and the PDU (a view over the received bytes).</summary>
public readonly ref struct ModbusTcpFrame
{
    internal ModbusTcpFrame(ushort transactionId, byte unit, ReadOnlySpan<byte> pdu)
    {
        TransactionId = transactionId;
        Unit = unit;
        Pdu = pdu;
    }

    public ushort TransactionId { get; }

    public byte Unit { get; }

    public ReadOnlySpan<byte> Pdu { get; }

    public int Length => Pdu.Length + ModbusLimits.MbapHeaderLength;
}
