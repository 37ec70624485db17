namespace Kilowallet.Protocols.Profiles;

/// <summary>The protocol family a meter model speaks by default.</summary>
public enum ProtocolFamily
{
    Modbus,
    Dlt645,
    Mqtt,
}
