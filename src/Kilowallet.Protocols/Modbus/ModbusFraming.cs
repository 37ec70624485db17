namespace Kilowallet.Protocols.Modbus;

/// <summary>How Modbus PDUs are framed on a byte stream.</summary>
public enum ModbusFraming
{
    /// <summary>Modbus TCP: MBAP header, no CRC.</summary>
    Tcp,

    /// <summary>Modbus RTU: address + PDU + CRC, on a serial line or tunnelled over TCP.</summary>
    Rtu,
}
