using System.Buffers.Binary;
using Kilowallet.Protocols.Codec;

namespace Kilowallet.Protocols.Modbus;

/// <summary>
/// Modbus TCP framing: MBAP header (transaction id, protocol id 0, length = 1 + PDU length, unit id)
/// followed by the PDU, all big-endian, no CRC, at most 260 bytes.
/// </summary>
public static class ModbusTcp
{
    public static int WriteRequest(Span<byte> destination, ushort transactionId, byte unit, in ModbusRequest request)
    {
        var pduLength = request.Encode(destination[ModbusLimits.MbapHeaderLength..]);
        return Seal(destination, transactionId, unit, pduLength);
    }

    /// <summary>Writes the MBAP header in front of a PDU already written at <c>destination[7..]</c>; returns the ADU length.</summary>
    public static int Seal(Span<byte> destination, ushort transactionId, byte unit, int pduLength)
    {
        destination[6] = unit;
        BinaryPrimitives.WriteUInt16BigEndian(destination, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(pduLength + 1));
        return ModbusLimits.MbapHeaderLength + pduLength;
    }

    /// <summary>
    /// Decodes the MBAP frame at the start of <paramref name="buffer"/>. The PDU is not interpreted here;
    /// use <see cref="ModbusPdu.DecodeRequest"/> or <see cref="ModbusPdu.DecodeResponse"/>.
    /// An invalid header means the stream is out of step: a server closes the connection.
    /// </summary>
    public static DecodeResult Decode(ReadOnlySpan<byte> buffer, out ModbusTcpFrame frame)
    {
        frame = default;
        if (buffer.Length < ModbusLimits.MbapHeaderLength)
        {
            return DecodeResult.NeedMore;
        }

        if (buffer[2] != 0 || buffer[3] != 0)
        {
            return DecodeResult.Invalid(FrameError.BadProtocolId);
        }

        var lengthField = BinaryPrimitives.ReadUInt16BigEndian(buffer[4..]);
        if (lengthField < 2)
        {
            return DecodeResult.Invalid(FrameError.BadLength);
        }

        if (lengthField > ModbusLimits.MaxTcpAduLength - 6)
        {
            return DecodeResult.Invalid(FrameError.TooLong);
        }

        var length = 6 + lengthField;
        if (buffer.Length < length)
        {
            return DecodeResult.NeedMore;
        }

        frame = new ModbusTcpFrame(BinaryPrimitives.ReadUInt16BigEndian(buffer), buffer[6], buffer[ModbusLimits.MbapHeaderLength..length]);
        return DecodeResult.Done(length);
    }
}
