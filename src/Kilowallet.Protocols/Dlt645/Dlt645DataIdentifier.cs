using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Kilowallet.Protocols.Dlt645;

/// <summary>A data identifier DI3 DI2 DI1 DI0, written "00010000"; sent DI0 first.</summary>
public readonly record struct Dlt645DataIdentifier(uint Value)
{
    public static Dlt645DataIdentifier ForwardActiveTotal => new(0x0001_0000);

    public static Dlt645DataIdentifier ForwardActiveSharp => new(0x0001_0100);

    public static Dlt645DataIdentifier ForwardActivePeak => new(0x0001_0200);

    public static Dlt645DataIdentifier ForwardActiveFlat => new(0x0001_0300);

    public static Dlt645DataIdentifier ForwardActiveValley => new(0x0001_0400);

    /// <summary>Total then each tariff, 4 bytes each.</summary>
    public static Dlt645DataIdentifier ForwardActiveBlock => new(0x0001_FF00);

    public static Dlt645DataIdentifier VoltageA => new(0x0201_0100);

    public static Dlt645DataIdentifier CurrentA => new(0x0202_0100);

    public static Dlt645DataIdentifier ActivePowerTotal => new(0x0203_0000);

    public static Dlt645DataIdentifier PowerFactorTotal => new(0x0206_0000);

    public static Dlt645DataIdentifier Frequency => new(0x0280_0002);

    /// <summary>Running status word 3: bit 4 relay state (0 closed, 1 open).</summary>
    public static Dlt645DataIdentifier StatusWord3 => new(0x0400_0503);

    /// <summary>The format of the well-known identifiers (PROTOCOLS.md §2.3), or null.</summary>
    public Dlt645DataFormat? KnownFormat => (Value >> 16) switch
    {
        0x0000 or 0x0001 or 0x0002 when (Value & 0xFF00) != 0xFF00 => Dlt645DataFormat.Energy,
        0x0201 => Dlt645DataFormat.Voltage,
        0x0202 => Dlt645DataFormat.Current,
        0x0203 => Dlt645DataFormat.Power,
        0x0206 => Dlt645DataFormat.PowerFactor,
        0x0280 when Value == 0x0280_0002 => Dlt645DataFormat.Frequency,
        0x0400 when (Value & 0xFF00) == 0x0500 => Dlt645DataFormat.StatusWord,
        _ => null,
    };

    public static Dlt645DataIdentifier Read(ReadOnlySpan<byte> plainDiFirst) => new(BinaryPrimitives.ReadUInt32LittleEndian(plainDiFirst));

    public static bool TryParse([NotNullWhen(true)] string? text, out Dlt645DataIdentifier identifier)
    {
        identifier = default;
        if (text is null || text.Length != 8 || !uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        identifier = new Dlt645DataIdentifier(value);
        return true;
    }

    public static Dlt645DataIdentifier Parse(string text) =>
        TryParse(text, out var identifier) ? identifier : throw new FormatException($"'{text}' is not an 8-hex-digit data identifier.");

    /// <summary>Writes DI0 DI1 DI2 DI3 (plain, without the +0x33).</summary>
    public void WriteTo(Span<byte> destination) => BinaryPrimitives.WriteUInt32LittleEndian(destination, Value);

    public override string ToString() => Value.ToString("X8", CultureInfo.InvariantCulture);
}
