using Kilowallet.Domain;

namespace Kilowallet.Server.Metering;

/// <summary>
/// A Modbus TCP gateway, serial server or DTU in front of one RS485 bus, a local serial port, or
/// the MQTT broker that 4G meters publish to.
/// </summary>
public sealed class Gateway
{
    public GatewayId Id { get; set; }

    public SiteId SiteId { get; set; }

    /// <summary>Unique within the site.</summary>
    public required string Name { get; set; }

    public GatewayTransport Transport { get; set; }

    /// <summary>Host name or address for TCP transports.</summary>
    public string? Host { get; set; }

    public int? Port { get; set; }

    /// <summary>Serial device for serial transports (e.g. /dev/ttyUSB0).</summary>
    public string? SerialDevice { get; set; }

    public int? BaudRate { get; set; }

    /// <summary>N, E or O.</summary>
    public string? Parity { get; set; }

    /// <summary>How long to wait for a meter's reply before a retry.</summary>
    public int TimeoutMs { get; set; } = 1000;

    public bool Enabled { get; set; } = true;
}
