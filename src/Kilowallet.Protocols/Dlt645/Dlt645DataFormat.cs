namespace Kilowallet.Protocols.Dlt645;

/// <summary>
/// How a data item is encoded: <see cref="Length"/> BCD bytes (low byte first) with <see cref="Decimals"/>
/// implied decimals; in signed formats bit 0x80 of the most significant (last) byte is the sign.
/// <see cref="IsBinary"/> items (status words) are plain little-endian bits, not BCD.
/// </summary>
public readonly record struct Dlt645DataFormat(int Length, int Decimals, bool IsSigned, bool IsBinary = false)
{
    /// <summary>XXXXXX.XX kWh.</summary>
    public static Dlt645DataFormat Energy => new(4, 2, false);

    /// <summary>XXX.X V.</summary>
    public static Dlt645DataFormat Voltage => new(2, 1, false);

    /// <summary>XXX.XXX A, signed.</summary>
    public static Dlt645DataFormat Current => new(3, 3, true);

    /// <summary>XX.XXXX kW, signed.</summary>
    public static Dlt645DataFormat Power => new(3, 4, true);

    /// <summary>X.XXX, signed.</summary>
    public static Dlt645DataFormat PowerFactor => new(2, 3, true);

    /// <summary>XX.XX Hz.</summary>
    public static Dlt645DataFormat Frequency => new(2, 2, false);

    /// <summary>A 16-bit status word (e.g. running status word 3, 04000503).</summary>
    public static Dlt645DataFormat StatusWord => new(2, 0, false, IsBinary: true);
}
