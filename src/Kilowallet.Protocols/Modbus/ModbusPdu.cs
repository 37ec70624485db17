using System.Buffers.Binary;
using Kilowallet.Protocols.Codec;

namespace Kilowallet.Protocols.Modbus;

/// <summary>
/// Sans-I/O encoding and decoding of Modbus PDUs (function code + data). Encoders write into a caller
/// buffer and return the length; decoders never throw on wire bytes.
/// </summary>
public static class ModbusPdu
{
    public static bool IsSupported(byte functionCode) => functionCode is 0x01 or 0x02 or 0x03 or 0x04 or 0x05 or 0x06 or 0x0F or 0x10;

    // ---- encoders: requests ----

    /// <summary>FC 01–06: function code, then two big-endian u16 (address; quantity or value).</summary>
    public static int WriteFourByteRequest(Span<byte> destination, ModbusFunction function, ushort address, ushort quantityOrValue)
    {
        _ = destination[4];
        destination[0] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], quantityOrValue);
        return 5;
    }

    public static int WriteMultipleRegistersRequest(Span<byte> destination, ushort address, ReadOnlySpan<ushort> values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(values.Length, 1, nameof(values));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(values.Length, ModbusLimits.MaxWriteRegisters, nameof(values));
        var length = 6 + (2 * values.Length);
        destination[length - 1] = 0;
        destination[0] = (byte)ModbusFunction.WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)values.Length);
        destination[5] = (byte)(2 * values.Length);
        WriteRegisters(destination[6..], values);
        return length;
    }

    public static int WriteMultipleCoilsRequest(Span<byte> destination, ushort address, ReadOnlySpan<bool> values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(values.Length, 1, nameof(values));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(values.Length, ModbusLimits.MaxWriteBits, nameof(values));
        var byteCount = (values.Length + 7) / 8;
        var length = 6 + byteCount;
        destination[length - 1] = 0;
        destination[0] = (byte)ModbusFunction.WriteMultipleCoils;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)values.Length);
        destination[5] = (byte)byteCount;
        PackBits(destination.Slice(6, byteCount), values);
        return length;
    }

    // ---- encoders: responses ----

    /// <summary>FC 03/04 normal response: function, byte count, registers big-endian.</summary>
    public static int WriteReadRegistersResponse(Span<byte> destination, ModbusFunction function, ReadOnlySpan<ushort> registers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(registers.Length, 1, nameof(registers));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(registers.Length, ModbusLimits.MaxReadRegisters, nameof(registers));
        var length = 2 + (2 * registers.Length);
        destination[length - 1] = 0;
        destination[0] = (byte)function;
        destination[1] = (byte)(2 * registers.Length);
        WriteRegisters(destination[2..], registers);
        return length;
    }

    /// <summary>FC 01/02 normal response: function, byte count, bits packed LSB first, padding 0.</summary>
    public static int WriteReadBitsResponse(Span<byte> destination, ModbusFunction function, ReadOnlySpan<bool> bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits.Length, 1, nameof(bits));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits.Length, ModbusLimits.MaxReadBits, nameof(bits));
        var byteCount = (bits.Length + 7) / 8;
        var length = 2 + byteCount;
        destination[length - 1] = 0;
        destination[0] = (byte)function;
        destination[1] = (byte)byteCount;
        PackBits(destination.Slice(2, byteCount), bits);
        return length;
    }

    /// <summary>FC 05/06/0F/10 normal response: function, address, value or quantity.</summary>
    public static int WriteWriteResponse(Span<byte> destination, ModbusFunction function, ushort address, ushort quantityOrValue) =>
        WriteFourByteRequest(destination, function, address, quantityOrValue);

    public static int WriteExceptionResponse(Span<byte> destination, byte functionCode, ModbusExceptionCode code)
    {
        destination[1] = (byte)code;
        destination[0] = (byte)(functionCode | 0x80);
        return 2;
    }

    // ---- measuring (for stream framing) ----

    /// <summary>
    /// Length of the PDU that starts <paramref name="pdu"/>, from its function code and byte count:
    /// Done with the length in <see cref="DecodeResult.Consumed"/>, NeedMoreData, or Invalid.
    /// </summary>
    internal static DecodeResult Measure(ReadOnlySpan<byte> pdu, ModbusFrameDirection direction)
    {
        if (pdu.IsEmpty)
        {
            return DecodeResult.NeedMore;
        }

        var fc = pdu[0];
        if (direction == ModbusFrameDirection.Response && (fc & 0x80) != 0)
        {
            return IsSupported((byte)(fc & 0x7F)) ? DecodeResult.Done(2) : DecodeResult.Invalid(FrameError.UnknownFunction);
        }

        if (!IsSupported(fc))
        {
            return DecodeResult.Invalid(FrameError.UnknownFunction);
        }

        if (direction == ModbusFrameDirection.Request)
        {
            if (fc is 0x0F or 0x10)
            {
                return pdu.Length < 6 ? DecodeResult.NeedMore : DecodeResult.Done(6 + pdu[5]);
            }

            return DecodeResult.Done(5);
        }

        if (fc is >= 0x01 and <= 0x04)
        {
            return pdu.Length < 2 ? DecodeResult.NeedMore : DecodeResult.Done(2 + pdu[1]);
        }

        return DecodeResult.Done(5);
    }

    // ---- decoders ----

    /// <summary>Decodes a whole request PDU (its length known from the framing) and checks the protocol limits.</summary>
    public static DecodeResult DecodeRequest(ReadOnlySpan<byte> pdu, out ModbusRequestView request)
    {
        request = default;
        if (pdu.IsEmpty)
        {
            return DecodeResult.Invalid(FrameError.BadLength, 0);
        }

        var fc = pdu[0];
        if (!IsSupported(fc))
        {
            return DecodeResult.Invalid(FrameError.UnknownFunction, pdu.Length);
        }

        if (pdu.Length < 5)
        {
            return DecodeResult.Invalid(FrameError.BadLength, pdu.Length);
        }

        var function = (ModbusFunction)fc;
        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var word = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        switch (function)
        {
            case ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs:
            case ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters:
                {
                    if (pdu.Length != 5)
                    {
                        return DecodeResult.Invalid(FrameError.BadLength, pdu.Length);
                    }

                    var max = fc <= 0x02 ? ModbusLimits.MaxReadBits : ModbusLimits.MaxReadRegisters;
                    if (word < 1 || word > max)
                    {
                        return DecodeResult.Invalid(FrameError.QuantityOutOfRange, pdu.Length);
                    }

                    request = new ModbusRequestView(function, address, word, 0, default);
                    return DecodeResult.Done(5);
                }

            case ModbusFunction.WriteSingleCoil or ModbusFunction.WriteSingleRegister:
                if (pdu.Length != 5)
                {
                    return DecodeResult.Invalid(FrameError.BadLength, pdu.Length);
                }

                if (function == ModbusFunction.WriteSingleCoil && word is not (0xFF00 or 0x0000))
                {
                    return DecodeResult.Invalid(FrameError.BadCoilValue, pdu.Length);
                }

                request = new ModbusRequestView(function, address, 1, word, default);
                return DecodeResult.Done(5);

            default:
                {
                    if (pdu.Length < 6 || pdu.Length != 6 + pdu[5])
                    {
                        return DecodeResult.Invalid(FrameError.BadLength, pdu.Length);
                    }

                    var isCoils = function == ModbusFunction.WriteMultipleCoils;
                    var max = isCoils ? ModbusLimits.MaxWriteBits : ModbusLimits.MaxWriteRegisters;
                    if (word < 1 || word > max)
                    {
                        return DecodeResult.Invalid(FrameError.QuantityOutOfRange, pdu.Length);
                    }

                    var expectedBytes = isCoils ? (word + 7) / 8 : 2 * word;
                    if (pdu[5] != expectedBytes)
                    {
                        return DecodeResult.Invalid(FrameError.ByteCountMismatch, pdu.Length);
                    }

                    request = new ModbusRequestView(function, address, word, 0, pdu.Slice(6, expectedBytes));
                    return DecodeResult.Done(pdu.Length);
                }
        }
    }

    /// <summary>Decodes a whole response PDU (its length known from the framing).</summary>
    public static DecodeResult DecodeResponse(ReadOnlySpan<byte> pdu, out ModbusResponseView response)
    {
        response = default;
        if (pdu.IsEmpty)
        {
            return DecodeResult.Invalid(FrameError.BadLength, 0);
        }

        var fc = pdu[0];
        if ((fc & 0x80) != 0)
        {
            if (pdu.Length != 2)
            {
                return DecodeResult.Invalid(FrameError.BadLength, pdu.Length);
            }

            if (pdu[1] == 0)
            {
                return DecodeResult.Invalid(FrameError.UnexpectedResponse, pdu.Length);
            }

            response = new ModbusResponseView((byte)(fc & 0x7F), (ModbusExceptionCode)pdu[1], 0, 0, default);
            return DecodeResult.Done(2);
        }

        if (!IsSupported(fc))
        {
            return DecodeResult.Invalid(FrameError.UnknownFunction, pdu.Length);
        }

        if (fc <= 0x04)
        {
            if (pdu.Length < 2 || pdu.Length != 2 + pdu[1])
            {
                return DecodeResult.Invalid(FrameError.BadLength, pdu.Length);
            }

            var byteCount = pdu[1];
            if (byteCount == 0 || (fc >= 0x03 && (byteCount & 1) != 0) || (fc >= 0x03 && byteCount > 2 * ModbusLimits.MaxReadRegisters))
            {
                return DecodeResult.Invalid(FrameError.ByteCountMismatch, pdu.Length);
            }

            response = new ModbusResponseView(fc, ModbusExceptionCode.None, 0, 0, pdu.Slice(2, byteCount));
            return DecodeResult.Done(pdu.Length);
        }

        if (pdu.Length != 5)
        {
            return DecodeResult.Invalid(FrameError.BadLength, pdu.Length);
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var word = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (fc == 0x05 && word is not (0xFF00 or 0x0000))
        {
            return DecodeResult.Invalid(FrameError.BadCoilValue, pdu.Length);
        }

        if ((fc == 0x0F && word is < 1 or > ModbusLimits.MaxWriteBits) || (fc == 0x10 && word is < 1 or > ModbusLimits.MaxWriteRegisters))
        {
            return DecodeResult.Invalid(FrameError.QuantityOutOfRange, pdu.Length);
        }

        response = new ModbusResponseView(fc, ModbusExceptionCode.None, address, word, default);
        return DecodeResult.Done(5);
    }

    /// <summary>
    /// Checks that a decoded response answers <paramref name="request"/>: same function, the byte count the
    /// quantity implies, the echo of a write. Returns <see cref="FrameError.None"/> when it does.
    /// </summary>
    public static FrameError Match(in ModbusResponseView response, in ModbusRequest request)
    {
        if (response.FunctionCode != (byte)request.Function)
        {
            return FrameError.UnexpectedResponse;
        }

        if (response.IsException)
        {
            return FrameError.None;
        }

        return request.Function switch
        {
            ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs =>
                response.Data.Length == (request.Quantity + 7) / 8 ? FrameError.None : FrameError.ByteCountMismatch,
            ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters =>
                response.Data.Length == 2 * request.Quantity ? FrameError.None : FrameError.ByteCountMismatch,
            ModbusFunction.WriteSingleCoil or ModbusFunction.WriteSingleRegister =>
                response.Address == request.Address && response.QuantityOrValue == request.Value ? FrameError.None : FrameError.UnexpectedResponse,
            _ => response.Address == request.Address && response.QuantityOrValue == request.Quantity ? FrameError.None : FrameError.UnexpectedResponse,
        };
    }

    private static void WriteRegisters(Span<byte> destination, ReadOnlySpan<ushort> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2 * i, 2), values[i]);
        }
    }

    private static void PackBits(Span<byte> destination, ReadOnlySpan<bool> bits)
    {
        destination.Clear();
        for (var i = 0; i < bits.Length; i++)
        {
            if (bits[i])
            {
                destination[i >> 3] |= (byte)(1 << (i & 7));
            }
        }
    }
}
