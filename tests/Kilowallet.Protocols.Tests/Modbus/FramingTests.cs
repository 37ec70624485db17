using Kilowallet.Protocols.Codec;
using Kilowallet.Protocols.Modbus;

namespace Kilowallet.Protocols.Tests.Modbus;

public sealed class FramingTests
{
    [Fact]
    public void Mbap_example_of_the_spec_encodes_exactly()
    {
        var buffer = new byte[16];
        var length = ModbusTcp.WriteRequest(buffer, 1, 1, ModbusRequest.ReadHoldingRegisters(0, 2));
        Assert.Equal("00 01 00 00 00 06 01 03 00 00 00 02", Hex.Text(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Spec_request_encodes_with_its_crc()
    {
        var buffer = new byte[16];
        var length = ModbusRtu.WriteRequest(buffer, 0x11, ModbusRequest.ReadHoldingRegisters(0x6B, 3));
        Assert.Equal("11 03 00 6B 00 03 76 87", Hex.Text(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Ddsu666_reply_decodes_to_230_2_volts()
    {
        var decoded = ModbusRtu.Decode(Hex.Bytes("01 04 04 43 66 33 34 1B 38"), ModbusFrameDirection.Response, out var frame);
        Assert.True(decoded.IsDone);
        Assert.True(ModbusPdu.DecodeResponse(frame.Pdu, out var response).IsDone);
        var bits = ((uint)response.GetRegister(0) << 16) | response.GetRegister(1);
        Assert.Equal(230.2, BitConverter.UInt32BitsToSingle(bits), 4);
    }

    [Theory]
    [InlineData("11 03 06 02 2B 00 00 00 64 C8 BB", FrameError.BadCrc)]
    [InlineData("11 2B 00 00 00 00 00 00", FrameError.UnknownFunction)]
    [InlineData("11 AB 02 00 00", FrameError.UnknownFunction)]
    public void Corrupt_rtu_responses_are_invalid_with_a_reason(string wire, FrameError error)
    {
        var decoded = ModbusRtu.Decode(Hex.Bytes(wire), ModbusFrameDirection.Response, out _);
        Assert.Equal((DecodeStatus.Invalid, error, 1), (decoded.Status, decoded.Error, decoded.Consumed));
    }

    [Fact]
    public void Truncated_rtu_response_needs_more_data()
    {
        var bytes = Hex.Bytes("11 03 06 02 2B 00 00 00 64 C8 BA");
        for (var n = 0; n < bytes.Length; n++)
        {
            Assert.Equal(DecodeStatus.NeedMoreData, ModbusRtu.Decode(bytes.AsSpan(0, n), ModbusFrameDirection.Response, out _).Status);
        }

        Assert.Equal(DecodeResult.Done(bytes.Length), ModbusRtu.Decode(bytes, ModbusFrameDirection.Response, out _));
    }

    [Fact]
    public void Request_and_response_of_one_function_frame_differently()
    {
        // FC 10 request carries a byte count; its response is a fixed echo.
        Assert.True(ModbusRtu.Decode(Hex.Bytes("11 10 00 01 00 02 04 00 0A 01 02 C6 F0"), ModbusFrameDirection.Request, out _).IsDone);
        Assert.True(ModbusRtu.Decode(Hex.Bytes("11 10 00 01 00 02 12 98"), ModbusFrameDirection.Response, out _).IsDone);
        Assert.True(ModbusRtu.Decode(Hex.Bytes("11 0F 00 13 00 0A 02 CD 01 BF 0B"), ModbusFrameDirection.Request, out _).IsDone);
        Assert.True(ModbusRtu.Decode(Hex.Bytes("11 01 05 CD 6B B2 0E 1B 45 E6"), ModbusFrameDirection.Response, out _).IsDone);
        Assert.True(ModbusRtu.Decode(Hex.Bytes("11 83 02 C1 34"), ModbusFrameDirection.Response, out _).IsDone);
    }

    [Theory]
    [InlineData("03 00 00 00 7E", FrameError.QuantityOutOfRange)]
    [InlineData("03 00 00 00 00", FrameError.QuantityOutOfRange)]
    [InlineData("01 00 00 07 D1", FrameError.QuantityOutOfRange)]
    [InlineData("05 00 00 12 34", FrameError.BadCoilValue)]
    [InlineData("10 00 01 00 02 03 00 0A 01", FrameError.ByteCountMismatch)]
    [InlineData("10 00 01 00 7C F8", FrameError.BadLength)]
    [InlineData("03 00 00 00", FrameError.BadLength)]
    [InlineData("2B 0E 01 00", FrameError.UnknownFunction)]
    public void Requests_breaking_the_limits_are_invalid_with_a_reason(string pdu, FrameError error)
    {
        var decoded = ModbusPdu.DecodeRequest(Hex.Bytes(pdu), out _);
        Assert.Equal((DecodeStatus.Invalid, error), (decoded.Status, decoded.Error));
    }

    [Fact]
    public void Oversized_mbap_length_is_invalid()
    {
        var decoded = ModbusTcp.Decode(Hex.Bytes("00 01 00 00 00 FF 01 03"), out _);
        Assert.Equal(FrameError.TooLong, decoded.Error);
        Assert.Equal(FrameError.BadProtocolId, ModbusTcp.Decode(Hex.Bytes("00 01 00 01 00 06 01 03 00 00 00 02"), out _).Error);
    }

    [Fact]
    public void Encoders_refuse_quantities_beyond_the_limits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.ReadHoldingRegisters(0, 126));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.ReadCoils(0, 2001));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.WriteMultipleRegisters(0, new ushort[124]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.WriteMultipleCoils(0, new bool[1969]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.ReadHoldingRegisters(0xFFFF, 2));
    }
}
