using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Modbus;

/// <summary>How a Modbus read ended; <see cref="Value"/> is set only on success.</summary>
public readonly record struct ModbusResult<T>(ExchangeStatus Status, T? Value, ModbusExceptionCode ExceptionCode, string? Detail)
{
    public bool IsSuccess => Status == ExchangeStatus.Success;

    public ModbusResult WithoutValue() => new(Status, ExceptionCode, Detail);

    public string Describe() => WithoutValue().Describe();

    public override string ToString() => Describe();
}
