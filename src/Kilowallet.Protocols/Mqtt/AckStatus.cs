namespace Kilowallet.Protocols.Mqtt;

[System.Text.Json.Serialization.JsonConverter(typeof(SnakeCaseEnumConverter<AckStatus>))]
public enum AckStatus
{
    Ok,
    Error,
}
