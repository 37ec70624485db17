namespace Kilowallet.Protocols.Modbus;

/// <summary>Limits of the Modbus application protocol (PROTOCOLS.md §1).</summary>
public static class ModbusLimits
{
    public const int MaxReadRegisters = 125;
    public const int MaxWriteRegisters = 123;
    public const int MaxReadBits = 2000;
    public const int MaxWriteBits = 1968;
    public const int MaxPduLength = 253;
    public const int MaxRtuAduLength = 256;
    public const int MaxTcpAduLength = 260;
    public const int MbapHeaderLength = 7;
    public const byte BroadcastUnit = 0;
}
