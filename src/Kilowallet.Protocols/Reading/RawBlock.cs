namespace Kilowallet.Protocols.Reading;

/// <summary>Raw data as read (for commissioning's --raw): Modbus registers of one block, or a DL/T 645 item's bytes.</summary>
public sealed record RawBlock(string Source, IReadOnlyList<ushort> Words);
