namespace Kilowallet.Server.Metering;

/// <summary>How Kilowallet reaches the meters behind a gateway. One gateway port is one RS485 bus.</summary>
public enum GatewayTransport
{
    ModbusTcp = 0,
    RtuOverTcp = 1,
    RtuSerial = 2,
    Dlt645Tcp = 3,
    Dlt645Serial = 4,
    Mqtt = 5,
}
