using Kilowallet.Protocols.Codec;

namespace Kilowallet.Protocols.Dlt645;

/// <summary>
/// DL/T 645-2007 framing: <c>[FE×n] 68 A0..A5 68 C L DATA CS 16</c>, data +0x33, CS = sum mod 256 from the
/// first 68 through the last data byte. Sans-I/O; never throws on wire bytes.
/// </summary>
public static class Dlt645Codec
{
    public const byte Start = 0x68;
    public const byte End = 0x16;
    public const byte WakeUp = 0xFE;
    public const int MaxDataLength = 200;
    public const int Overhead = 12;
    public const int MaxFrameLength = 4 + Overhead + MaxDataLength;

    /// <summary>
    /// Writes a frame: <paramref name="wakeUpBytes"/> FE bytes (0–4), header, <paramref name="plainData"/>
    /// with +0x33 applied, checksum and end. Returns the length.
    /// </summary>
    public static int Encode(Span<byte> destination, Dlt645Address address, byte control, ReadOnlySpan<byte> plainData, int wakeUpBytes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wakeUpBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wakeUpBytes, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(plainData.Length, MaxDataLength, nameof(plainData));
        var length = wakeUpBytes + Overhead + plainData.Length;
        _ = destination[length - 1];
        destination[..wakeUpBytes].Fill(WakeUp);
        var frame = destination[wakeUpBytes..length];
        frame[0] = Start;
        address.WriteTo(frame[1..7]);
        frame[7] = Start;
        frame[8] = control;
        frame[9] = (byte)plainData.Length;
        for (var i = 0; i < plainData.Length; i++)
        {
            frame[10 + i] = unchecked((byte)(plainData[i] + 0x33));
        }

        frame[^2] = Checksum(frame[..^2]);
        frame[^1] = End;
        return length;
    }

    /// <summary>
    /// Decodes the frame at the start of <paramref name="buffer"/>, skipping FE wake-up bytes. On Invalid,
    /// drop <see cref="DecodeResult.Consumed"/> bytes and retry (the FE bytes and the bad start byte).
    /// </summary>
    public static DecodeResult Decode(ReadOnlySpan<byte> buffer, out Dlt645Frame frame)
    {
        frame = default;
        var start = 0;
        while (start < buffer.Length && buffer[start] == WakeUp)
        {
            start++;
        }

        if (start == buffer.Length)
        {
            return DecodeResult.NeedMore;
        }

        if (buffer[start] != Start)
        {
            return DecodeResult.Invalid(FrameError.BadStartByte, start + 1);
        }

        var rest = buffer[start..];
        if (rest.Length < 10)
        {
            return DecodeResult.NeedMore;
        }

        if (rest[7] != Start)
        {
            return DecodeResult.Invalid(FrameError.BadStartByte, start + 1);
        }

        var dataLength = rest[9];
        if (dataLength > MaxDataLength)
        {
            return DecodeResult.Invalid(FrameError.TooLong, start + 1);
        }

        var length = Overhead + dataLength;
        if (rest.Length < length)
        {
            return DecodeResult.NeedMore;
        }

        if (rest[length - 1] != End)
        {
            return DecodeResult.Invalid(FrameError.BadEndByte, start + 1);
        }

        if (rest[length - 2] != Checksum(rest[..(length - 2)]))
        {
            return DecodeResult.Invalid(FrameError.BadChecksum, start + 1);
        }

        frame = new Dlt645Frame(Dlt645Address.FromWire(rest[1..7]), rest[8], rest.Slice(10, dataLength));
        return DecodeResult.Done(start + length);
    }

    /// <summary>
    /// Offset of the first complete, valid frame anywhere in <paramref name="buffer"/> (optionally a reply
    /// from <paramref name="from"/>), or -1. Lets a reader overtake garbage whose bogus length would stall it.
    /// </summary>
    public static int FindFrame(ReadOnlySpan<byte> buffer, Dlt645Address? from = null)
    {
        for (var offset = buffer.IndexOf(Start); offset >= 0 && offset + Overhead <= buffer.Length;)
        {
            if (Decode(buffer[offset..], out var frame).IsDone && (from is null || frame.Address == from.Value))
            {
                return offset;
            }

            var next = buffer[(offset + 1)..].IndexOf(Start);
            offset = next < 0 ? -1 : offset + 1 + next;
        }

        return -1;
    }

    public static byte Checksum(ReadOnlySpan<byte> bytes)
    {
        var sum = 0;
        foreach (var b in bytes)
        {
            sum += b;
        }

        return (byte)(sum & 0xFF);
    }
}
