namespace Kilowallet.Simulator;

/// <summary>A gateway (one RS485 bus, or the MQTT link of 4G meters) and its RS485 emulation settings.</summary>
/// <param name="Name">Unique within the mall, e.g. "F1-BUS-A".</param>
public sealed record GatewayDefinition(string Name, GatewayTransportKind Transport)
{
    /// <summary>Bus speed for wire-time emulation (DL/T 645 buses commonly 2400).</summary>
    public int BaudRate { get; init; } = 9600;

    /// <summary>The meters' turnaround: time from the end of a request to the start of the reply.</summary>
    public TimeSpan Turnaround { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Delay replies by their wire time (false: answer as fast as possible).</summary>
    public bool EmulateWireTime { get; init; } = true;
}
