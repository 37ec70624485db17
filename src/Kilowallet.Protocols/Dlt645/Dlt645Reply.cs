namespace Kilowallet.Protocols.Dlt645;

/// <summary>A normal reply: who answered, its plain data (0x33 removed) and whether more follows.</summary>
public sealed record Dlt645Reply(Dlt645Address Address, byte[] Data, bool FollowUp);
