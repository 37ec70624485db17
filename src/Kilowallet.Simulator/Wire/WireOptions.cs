using System.Net;
using Kilowallet.Protocols.Profiles;

namespace Kilowallet.Simulator.Wire;

/// <summary>How <see cref="SimulatedMallServers"/> puts a simulated mall on the wire.</summary>
public sealed record WireOptions
{
    /// <summary>The address every gateway listens on (loopback by default; <see cref="IPAddress.Any"/> to serve the network).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Ports by gateway name; a gateway not listed gets a free port (port 0), read back from <see cref="SimulatedMallServers.EndPoints"/>.</summary>
    public IReadOnlyDictionary<string, int> Ports { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>The broker the 4G meters of MQTT gateways connect to; null: MQTT gateways are not served.</summary>
    public MqttBroker? Mqtt { get; init; }

    /// <summary>The meter profiles (register maps) the meters answer by; null: the shipped profiles beside the application.</summary>
    public MeterProfileCatalog? Profiles { get; init; }

    /// <summary>
    /// Modbus TCP gateways answer exception 0x0B for a unit id with no meter, and for a reply garbled on the bus (the
    /// injected CRC errors, since Modbus TCP has no CRC); false: they stay silent in both cases.
    /// </summary>
    public bool GatewayExceptions { get; init; } = true;

    /// <summary>Seeds which replies the injected CRC-error fraction corrupts.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Simulated time between two telemetry messages of a 4G meter (energy and live values).</summary>
    public TimeSpan TelemetryInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Real time between two looks at a 4G meter's relay (a change is published at once) and at its offline state.</summary>
    public TimeSpan RelayPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Real time a 4G meter waits for the broker to accept its connection.</summary>
    public TimeSpan MqttConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before a 4G meter reconnects to a broker that went away; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Real time: RS485 wire-time delays, MQTT timeouts and reconnects (physical, whatever the simulation speed).</summary>
    public TimeProvider RealTime { get; init; } = TimeProvider.System;

    public int PortOf(string gateway) => Ports.TryGetValue(gateway, out var port) ? port : 0;

    internal void Validate()
    {
        foreach (var (gateway, port) in Ports)
        {
            if (port is < 0 or > 65_535)
            {
                throw new ArgumentException($"Gateway '{gateway}': port {port} is not 0..65535.", nameof(Ports));
            }
        }

        Positive(TelemetryInterval, nameof(TelemetryInterval));
        Positive(RelayPollInterval, nameof(RelayPollInterval));
        Positive(MqttConnectTimeout, nameof(MqttConnectTimeout));
        Positive(InitialReconnectDelay, nameof(InitialReconnectDelay));
        if (MaxReconnectDelay < InitialReconnectDelay)
        {
            throw new ArgumentException($"{nameof(MaxReconnectDelay)} ({MaxReconnectDelay}) is shorter than {nameof(InitialReconnectDelay)} ({InitialReconnectDelay}).", nameof(MaxReconnectDelay));
        }
    }

    private static void Positive(TimeSpan span, string name)
    {
        if (span <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be longer than zero (got {span}).", name);
        }
    }
}
