using Kilowallet.Server.Metering;

namespace Kilowallet.Server.Demo;

/// <summary>A gateway of Demo Plaza. Its port is assigned when the in-process simulator starts.</summary>
public sealed record DemoGateway(string Name, GatewayTransport Transport, string Description);
