namespace Kilowallet.Protocols.Mqtt;

public enum MqttTopicKind
{
    Telemetry,
    Command,
    Acknowledgement,
}
