namespace Kilowallet.Protocols.Profiles;

/// <summary>Order of the 16-bit words of a 32/64-bit value (bytes within a word are always big-endian).</summary>
public enum WordOrder
{
    /// <summary>High word first (no swap).</summary>
    Abcd,

    /// <summary>Low word first (word-swapped).</summary>
    Cdab,
}
