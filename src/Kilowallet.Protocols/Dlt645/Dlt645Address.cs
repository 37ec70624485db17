using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Kilowallet.Protocols.Dlt645;

/// <summary>
/// A DL/T 645 meter address: 12 decimal digits in 6 BCD bytes, sent low byte first (meter
/// 398192000337 goes on the wire as 37 03 00 92 81 39). <see cref="Wildcard"/> (AA×6) addresses the only
/// meter on a bus; <see cref="Broadcast"/> (99×6) is for time sync.
/// </summary>
public readonly record struct Dlt645Address
{
    private readonly ulong _wire;

    private Dlt645Address(ulong wire) => _wire = wire;

    public static Dlt645Address Wildcard => new(0xAAAA_AAAA_AAAAUL);

    public static Dlt645Address Broadcast => new(0x9999_9999_9999UL);

    public bool IsWildcard => _wire == 0xAAAA_AAAA_AAAAUL;

    public bool IsBroadcast => _wire == 0x9999_9999_9999UL;

    /// <summary>The 12 digits as a number (0 for the wildcard, whose bytes are not BCD).</summary>
    public ulong Number
    {
        get
        {
            ulong number = 0;
            for (var i = 5; i >= 0; i--)
            {
                var b = (byte)((_wire >> (8 * i)) & 0xFF);
                if ((b >> 4) > 9 || (b & 0x0F) > 9)
                {
                    return 0;
                }

                number = (number * 100) + (ulong)((10 * (b >> 4)) + (b & 0x0F));
            }

            return number;
        }
    }

    /// <summary>Reads the 6 address bytes as they come off the wire (low byte first).</summary>
    public static Dlt645Address FromWire(ReadOnlySpan<byte> wire)
    {
        ulong packed = 0;
        for (var i = 5; i >= 0; i--)
        {
            packed = (packed << 8) | wire[i];
        }

        return new Dlt645Address(packed);
    }

    public static Dlt645Address FromNumber(ulong number)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, 999_999_999_999UL);
        ulong packed = 0;
        for (var i = 0; i < 6; i++)
        {
            var pair = number % 100;
            number /= 100;
            packed |= (((pair / 10) << 4) | (pair % 10)) << (8 * i);
        }

        return new Dlt645Address(packed);
    }

    /// <summary>Parses 12 decimal digits, or "AAAAAAAAAAAA" for the wildcard.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Dlt645Address address)
    {
        address = default;
        if (text is null || text.Length != 12)
        {
            return false;
        }

        if (string.Equals(text, "AAAAAAAAAAAA", StringComparison.OrdinalIgnoreCase))
        {
            address = Wildcard;
            return true;
        }

        if (!text.All(char.IsAsciiDigit))
        {
            return false;
        }

        address = FromNumber(ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture));
        return true;
    }

    public static Dlt645Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not a 12-digit DL/T 645 address.");

    /// <summary>Writes the 6 address bytes, low byte first.</summary>
    public void WriteTo(Span<byte> destination)
    {
        for (var i = 0; i < 6; i++)
        {
            destination[i] = (byte)((_wire >> (8 * i)) & 0xFF);
        }
    }

    public override string ToString() => _wire.ToString("X12", CultureInfo.InvariantCulture);
}
