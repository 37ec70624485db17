namespace Kilowallet.Simulator;

/// <summary>Names of <see cref="GatewayTransportKind"/> in options: modbus-tcp, rtu-over-tcp, dlt645-tcp, mqtt.</summary>
public static class GatewayTransports
{
    private static readonly (string Name, GatewayTransportKind Kind)[] Names =
    [
        ("modbus-tcp", GatewayTransportKind.ModbusTcp),
        ("rtu-over-tcp", GatewayTransportKind.RtuOverTcp),
        ("dlt645-tcp", GatewayTransportKind.Dlt645Tcp),
        ("mqtt", GatewayTransportKind.Mqtt),
    ];

    public static string NameOf(GatewayTransportKind kind) => Names.First(n => n.Kind == kind).Name;

    public static GatewayTransportKind Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (text, kind) in Names)
        {
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase) || string.Equals(kind.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        throw new ArgumentException($"Unknown gateway transport '{name}'; known transports: {string.Join(", ", Names.Select(n => n.Name))}.", nameof(name));
    }

    /// <summary>Modbus transports address meters by unit id (1–247).</summary>
    public static bool UsesUnitIds(GatewayTransportKind kind) => kind is GatewayTransportKind.ModbusTcp or GatewayTransportKind.RtuOverTcp;

    /// <summary>DL/T 645 transports address meters by a 12-digit address.</summary>
    public static bool UsesDlt645Addresses(GatewayTransportKind kind) => kind == GatewayTransportKind.Dlt645Tcp;

    /// <summary>Transports with an RS485 bus behind them (wire time applies).</summary>
    public static bool HasSerialBus(GatewayTransportKind kind) => kind != GatewayTransportKind.Mqtt;
}
