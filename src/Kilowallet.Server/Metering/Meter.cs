using Kilowallet.Domain;

namespace Kilowallet.Server.Metering;

/// <summary>An installed energy meter: what it is, how to reach it, what it measures and who pays.</summary>
public sealed class Meter
{
    public MeterId Id { get; set; }

    public SiteId SiteId { get; set; }

    /// <summary>Manufacturer serial number, unique across the installation.</summary>
    public required string Serial { get; set; }

    /// <summary>Name of the meter profile (register map) in the profile catalogue, e.g. "kpm31".</summary>
    public required string ProfileName { get; set; }

    public GatewayId? GatewayId { get; set; }

    /// <summary>Modbus slave address on the gateway's bus (1–247).</summary>
    public int? UnitId { get; set; }

    /// <summary>DL/T 645 address: 12 decimal digits.</summary>
    public string? Dlt645Address { get; set; }

    /// <summary>MQTT client id of a 4G meter; its topics are meters/{serial}/…</summary>
    public string? MqttClientId { get; set; }

    /// <summary>Current-transformer ratio of this installation (e.g. 200/5 = 40); 1 for direct connection.</summary>
    public decimal CtRatio { get; set; } = 1m;

    /// <summary>Voltage-transformer ratio of this installation; 1 for direct connection.</summary>
    public decimal PtRatio { get; set; } = 1m;

    /// <summary>1 or 3.</summary>
    public int PhaseCount { get; set; } = 1;

    public ShopId? ShopId { get; set; }

    /// <summary>The prepaid account that currently pays for this meter; null for public-area and master meters.</summary>
    public AccountId? AccountId { get; set; }

    public MeterPurpose Purpose { get; set; }

    public MeterStatus Status { get; set; }

    /// <summary>The meter supplies its own gateway or DTU: cutting it would cut the communication. Never tripped.</summary>
    public bool FeedsOwnGateway { get; set; }

    public DateTimeOffset InstalledAt { get; set; }
}
