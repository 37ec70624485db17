namespace Kilowallet.Protocols.Modbus;

/// <summary>Which way a frame travels: requests and responses of one function code differ in layout.</summary>
public enum ModbusFrameDirection
{
    /// <summary>Master to slave: what a slave parses.</summary>
    Request,

    /// <summary>Slave to master: what a master parses.</summary>
    Response,
}
