namespace Kilowallet.Protocols.Dlt645;

/// <summary>BCD values of DL/T 645 (low byte first; sign in bit 0x80 of the last byte for signed formats).</summary>
public static class Dlt645Bcd
{
    /// <summary>Decodes a value; false when the bytes are not valid BCD or too short.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> lowFirst, Dlt645DataFormat format, out decimal value)
    {
        value = 0;
        if (lowFirst.Length < format.Length || format.Length is < 1 or > 8)
        {
            return false;
        }

        if (format.IsBinary)
        {
            ulong bits = 0;
            for (var i = format.Length - 1; i >= 0; i--)
            {
                bits = (bits << 8) | lowFirst[i];
            }

            value = bits;
            return true;
        }

        ulong magnitude = 0;
        var negative = false;
        for (var i = format.Length - 1; i >= 0; i--)
        {
            var b = lowFirst[i];
            if (i == format.Length - 1 && format.IsSigned)
            {
                negative = (b & 0x80) != 0;
                b &= 0x7F;
            }

            var high = b >> 4;
            var low = b & 0x0F;
            if (high > 9 || low > 9)
            {
                return false;
            }

            magnitude = (magnitude * 100) + (ulong)((10 * high) + low);
        }

        value = new decimal(unchecked((int)(uint)(magnitude & 0xFFFF_FFFF)), (int)(magnitude >> 32), 0, negative && magnitude != 0, (byte)format.Decimals);
        return true;
    }

    /// <summary>Encodes a value (rounded to the format's decimals); throws when it does not fit the format.</summary>
    public static void Encode(decimal value, Dlt645DataFormat format, Span<byte> lowFirst)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lowFirst.Length, format.Length, nameof(lowFirst));
        if (format.IsBinary)
        {
            var bits = decimal.ToUInt64(value);
            for (var i = 0; i < format.Length; i++)
            {
                lowFirst[i] = (byte)((bits >> (8 * i)) & 0xFF);
            }

            return;
        }

        var negative = value < 0;
        if (negative && !format.IsSigned)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Negative value in an unsigned format.");
        }

        var scaled = decimal.Round(Math.Abs(value) * Pow10(format.Decimals), 0, MidpointRounding.AwayFromZero);
        var digits = (2 * format.Length) - (format.IsSigned ? 1 : 0);
        var limit = Pow10(digits);
        if (scaled >= limit)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Value does not fit the format.");
        }

        var magnitude = decimal.ToUInt64(scaled);
        for (var i = 0; i < format.Length; i++)
        {
            var pair = magnitude % 100;
            magnitude /= 100;
            lowFirst[i] = (byte)(((pair / 10) << 4) | (pair % 10));
        }

        if (negative && scaled != 0)
        {
            lowFirst[format.Length - 1] |= 0x80;
        }
    }

    /// <summary>Two BCD digits of a byte (for dates); -1 when not BCD.</summary>
    public static int Digits(byte b) => (b >> 4) > 9 || (b & 0x0F) > 9 ? -1 : (10 * (b >> 4)) + (b & 0x0F);

    public static byte ToBcd(int twoDigits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(twoDigits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(twoDigits, 99);
        return (byte)(((twoDigits / 10) << 4) | (twoDigits % 10));
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}
