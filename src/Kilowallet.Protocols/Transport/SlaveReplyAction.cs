namespace Kilowallet.Protocols.Transport;

/// <summary>What a simulated slave does with the reply it computed.</summary>
public enum SlaveReplyAction
{
    /// <summary>Send it (after the planned delay).</summary>
    Reply,

    /// <summary>Send nothing: an offline or deaf meter.</summary>
    Drop,

    /// <summary>Send it with a broken CRC/checksum: a noisy line.</summary>
    CorruptChecksum,
}
