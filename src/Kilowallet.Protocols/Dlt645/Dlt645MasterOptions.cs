using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Dlt645;

/// <summary>DL/T 645 specifics on top of <see cref="MasterOptions"/>.</summary>
public sealed record Dlt645MasterOptions
{
    public MasterOptions Link { get; init; } = new() { ResponseTimeout = TimeSpan.FromSeconds(2) };

    /// <summary>FE bytes sent before each frame to wake the meter's receiver (0–4).</summary>
    public int WakeUpBytes { get; init; } = 4;

    /// <summary>Relay control password PA P0 P1 P2 (PA in the low byte). Vendor-specific; 02 000000 is common.</summary>
    public uint Password { get; init; } = 0x0000_0002;

    /// <summary>Operator code C0..C3 (C0 in the low byte).</summary>
    public uint OperatorCode { get; init; }

    /// <summary>Follow-up frames read at most for one data item (guards against a meter that never says "last").</summary>
    public int MaxFollowUps { get; init; } = 8;
}
