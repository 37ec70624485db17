namespace Kilowallet.Domain.Safety;

/// <summary>A meter's link status and the gateway it is reached through (null for 4G/MQTT meters).</summary>
public readonly record struct MeterLink(MeterId Meter, GatewayId? Gateway, LinkStatus Status);
