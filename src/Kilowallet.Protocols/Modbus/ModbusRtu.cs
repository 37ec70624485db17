using Kilowallet.Protocols.Codec;

namespace Kilowallet.Protocols.Modbus;

/// <summary>
/// Modbus RTU framing: slave address + PDU + CRC-16 (low byte first). Frame boundaries come from the
/// function code, the byte counts and the CRC, so it works on byte streams with no timing (RTU over TCP)
/// as well as on serial lines.
/// </summary>
public static class ModbusRtu
{
    /// <summary>Shortest possible ADU: address, exception function, code, CRC.</summary>
    public const int MinFrameLength = 5;

    /// <summary>Writes address + request PDU + CRC; returns the ADU length.</summary>
    public static int WriteRequest(Span<byte> destination, byte unit, in ModbusRequest request)
    {
        var pduLength = request.Encode(destination[1..]);
        return Seal(destination, unit, pduLength);
    }

    /// <summary>
    /// Completes an ADU whose PDU was already written at <c>destination[1..]</c>: writes the address and the
    /// CRC; returns the ADU length.
    /// </summary>
    public static int Seal(Span<byte> destination, byte unit, int pduLength)
    {
        destination[0] = unit;
        var length = 1 + pduLength;
        Crc16Modbus.Append(destination[..length], destination[length..]);
        return length + 2;
    }

    /// <summary>
    /// Decodes the RTU frame that starts at the beginning of <paramref name="buffer"/>. On Invalid, drop
    /// <see cref="DecodeResult.Consumed"/> (1) byte and retry to resynchronise.
    /// </summary>
    public static DecodeResult Decode(ReadOnlySpan<byte> buffer, ModbusFrameDirection direction, out ModbusRtuFrame frame)
    {
        frame = default;
        if (buffer.Length < 2)
        {
            return DecodeResult.NeedMore;
        }

        var measured = ModbusPdu.Measure(buffer[1..], direction);
        if (measured.Status != DecodeStatus.Done)
        {
            return measured.Status == DecodeStatus.Invalid ? DecodeResult.Invalid(measured.Error) : measured;
        }

        var length = measured.Consumed + 3;
        if (length > ModbusLimits.MaxRtuAduLength)
        {
            return DecodeResult.Invalid(FrameError.TooLong);
        }

        if (buffer.Length < length)
        {
            return DecodeResult.NeedMore;
        }

        var candidate = buffer[..length];
        if (!Crc16Modbus.Check(candidate))
        {
            return DecodeResult.Invalid(FrameError.BadCrc);
        }

        frame = new ModbusRtuFrame(buffer[0], candidate[1..^2]);
        return DecodeResult.Done(length);
    }

    /// <summary>
    /// Looks for the first complete frame with a good CRC at any offset of <paramref name="buffer"/>,
    /// optionally only one from <paramref name="unit"/> (for a master, which knows whom it asked).
    /// Returns the offset, or -1 when there is none yet. Used to resynchronise after garbage, including
    /// garbage whose bogus length would otherwise make the reader wait for bytes that never come.
    /// </summary>
    public static int FindFrame(ReadOnlySpan<byte> buffer, ModbusFrameDirection direction, int unit = -1)
    {
        for (var offset = 0; offset + MinFrameLength <= buffer.Length; offset++)
        {
            if (unit >= 0 && buffer[offset] != unit)
            {
                continue;
            }

            if (Decode(buffer[offset..], direction, out _).IsDone)
            {
                return offset;
            }
        }

        return -1;
    }
}
