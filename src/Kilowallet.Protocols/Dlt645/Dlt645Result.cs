using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Dlt645;

/// <summary>How a DL/T 645 request ended; <see cref="Value"/> is set only on success.</summary>
public readonly record struct Dlt645Result<T>(ExchangeStatus Status, T? Value, Dlt645Errors Errors, string? Detail)
{
    public bool IsSuccess => Status == ExchangeStatus.Success;

    public string Describe() => Status switch
    {
        ExchangeStatus.Success => "ok",
        ExchangeStatus.DeviceError => $"meter error reply, ERR={(byte)Errors:X2} ({Errors})",
        ExchangeStatus.Timeout => "timeout: " + Detail,
        ExchangeStatus.BadChecksum => "bad checksum: " + Detail,
        ExchangeStatus.InvalidFrame => "invalid frame: " + Detail,
        ExchangeStatus.ConnectionFailed => "connection failed: " + Detail,
        _ => "not supported: " + Detail,
    };

    public override string ToString() => Describe();

    public Dlt645Result<TOther> As<TOther>(TOther? value = default) => new(Status, value, Errors, Detail);
}
