using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Modbus;

/// <summary>How a Modbus request ended, without a value (writes).</summary>
public readonly record struct ModbusResult(ExchangeStatus Status, ModbusExceptionCode ExceptionCode, string? Detail)
{
    public static ModbusResult Ok => new(ExchangeStatus.Success, ModbusExceptionCode.None, null);

    public bool IsSuccess => Status == ExchangeStatus.Success;

    /// <summary>One line for an operator: "timeout: …", "exception 02 (illegal data address)", "bad CRC: …".</summary>
    public string Describe() => Status switch
    {
        ExchangeStatus.Success => "ok",
        ExchangeStatus.DeviceError => ModbusExceptionCodes.Format(ExceptionCode),
        ExchangeStatus.Timeout => "timeout: " + Detail,
        ExchangeStatus.BadChecksum => "bad CRC: " + Detail,
        ExchangeStatus.InvalidFrame => "invalid frame: " + Detail,
        ExchangeStatus.ConnectionFailed => "connection failed: " + Detail,
        _ => "not supported: " + Detail,
    };

    public override string ToString() => Describe();

    internal static ModbusResult Fail(ExchangeStatus status, string detail) => new(status, ModbusExceptionCode.None, detail);

    internal ModbusResult<T> WithValue<T>(T? value) => new(Status, value, ExceptionCode, Detail);
}
