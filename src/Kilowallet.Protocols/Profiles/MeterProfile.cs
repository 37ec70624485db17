namespace Kilowallet.Protocols.Profiles;

/// <summary>
/// A meter model as data (Profiles/*.json): what it measures, where, in which type and scale, how its relay
/// is commanded and read. CT/PT ratios are not here: they belong to the installation.
/// </summary>
public sealed record MeterProfile
{
    public required string Name { get; init; }

    public required string Manufacturer { get; init; }

    public required string Model { get; init; }

    public required int Phases { get; init; }

    public required ProtocolFamily Transport { get; init; }

    public required SerialDefaults Serial { get; init; }

    /// <summary>True when the map was not checked against the vendor's manual or a device.</summary>
    public bool Unverified { get; init; }

    public string? Notes { get; init; }

    /// <summary>Whether the per-band (sharp/peak/flat/valley) registers can be billed from.</summary>
    public bool TrustBandRegisters { get; init; }

    public CloseMode CloseMode { get; init; }

    /// <summary>Whether the meter trips itself on overload.</summary>
    public bool HasOverloadTrip { get; init; }

    public ModbusProfileMap? Modbus { get; init; }

    public Dlt645ProfileMap? Dlt645 { get; init; }

    public MqttProfileMap? Mqtt { get; init; }

    /// <summary>The file it was loaded from.</summary>
    public string? SourceFile { get; init; }
}
