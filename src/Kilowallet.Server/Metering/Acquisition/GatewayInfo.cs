using Kilowallet.Domain;

namespace Kilowallet.Server.Metering.Acquisition;

/// <summary>How to reach a gateway, as configured (the poller's identity: a change restarts it).</summary>
public sealed record GatewayInfo(GatewayId Id, string Name, GatewayTransport Transport, string? Host, int? Port, string? SerialDevice, int? BaudRate, string? Parity, int TimeoutMs);
