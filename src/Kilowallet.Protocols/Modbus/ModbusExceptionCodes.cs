using System.Globalization;

namespace Kilowallet.Protocols.Modbus;

/// <summary>Meanings of Modbus exception codes, as printed to operators.</summary>
public static class ModbusExceptionCodes
{
    public static string Describe(ModbusExceptionCode code) => code switch
    {
        ModbusExceptionCode.None => "no exception",
        ModbusExceptionCode.IllegalFunction => "illegal function",
        ModbusExceptionCode.IllegalDataAddress => "illegal data address",
        ModbusExceptionCode.IllegalDataValue => "illegal data value",
        ModbusExceptionCode.ServerDeviceFailure => "server device failure",
        ModbusExceptionCode.Acknowledge => "acknowledge (long operation accepted)",
        ModbusExceptionCode.ServerDeviceBusy => "server device busy",
        ModbusExceptionCode.NegativeAcknowledge => "negative acknowledge",
        ModbusExceptionCode.MemoryParityError => "memory parity error",
        ModbusExceptionCode.GatewayPathUnavailable => "gateway path unavailable",
        ModbusExceptionCode.GatewayTargetFailedToRespond => "gateway target device failed to respond",
        _ => "unknown exception code",
    };

    /// <summary>"02 illegal data address" style text.</summary>
    public static string Format(ModbusExceptionCode code) =>
        string.Create(CultureInfo.InvariantCulture, $"exception {(byte)code:X2} ({Describe(code)})");
}
