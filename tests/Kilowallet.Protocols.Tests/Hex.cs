using System.Globalization;

namespace Kilowallet.Protocols.Tests;

/// <summary>"01 03 00 00" ↔ bytes, for writing known-answer vectors as they appear in PROTOCOLS.md.</summary>
internal static class Hex
{
    public static byte[] Bytes(string text) =>
        [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => byte.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))];

    public static string Text(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).Chunk(2).Aggregate(string.Empty, (s, c) => s.Length == 0 ? new string(c) : s + " " + new string(c));
}
