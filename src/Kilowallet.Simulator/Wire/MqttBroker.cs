using System.Globalization;

namespace Kilowallet.Simulator.Wire;

/// <summary>Where the 4G meters of MQTT gateways connect: an MQTT broker's host name (or address) and port.</summary>
public sealed record MqttBroker(string Host, int Port)
{
    /// <summary>Parses "host:port" (e.g. "127.0.0.1:1883"); refuses anything else with a sentence.</summary>
    public static MqttBroker Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65_535)
        {
            throw new ArgumentException($"An MQTT broker is written host:port, e.g. 127.0.0.1:1883 (got '{text}').", nameof(text));
        }

        return new MqttBroker(text[..colon].Trim('[', ']'), port);
    }

    public override string ToString() => $"{Host}:{Port}";
}
