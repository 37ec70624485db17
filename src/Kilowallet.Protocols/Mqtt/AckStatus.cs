namespace Kilowallet.Protocols.Mqtt;

public enum AckStatus
{
    Ok,
    Error,
}
