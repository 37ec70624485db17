namespace Kilowallet.Simulator;

/// <summary>How the server reaches a simulated gateway's meters.</summary>
public enum GatewayTransportKind
{
    /// <summary>A Modbus TCP gateway in front of an RS485 bus (MBAP, unit id = slave address).</summary>
    ModbusTcp = 0,

    /// <summary>A 4G DTU or serial server tunnelling Modbus RTU frames over TCP.</summary>
    RtuOverTcp = 1,

    /// <summary>A serial server carrying a DL/T 645-2007 bus over TCP.</summary>
    Dlt645Tcp = 2,

    /// <summary>4G meters publishing JSON telemetry to an MQTT broker.</summary>
    Mqtt = 3,
}
