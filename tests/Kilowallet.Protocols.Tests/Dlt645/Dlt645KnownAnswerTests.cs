using Kilowallet.Protocols.Codec;
using Kilowallet.Protocols.Dlt645;

namespace Kilowallet.Protocols.Tests.Dlt645;

/// <summary>Every known-answer frame of PROTOCOLS.md §2.5.</summary>
public sealed class Dlt645KnownAnswerTests
{
    [Theory]
    [InlineData("000000000001", "68 01 00 00 00 00 00 68 11 04 33 33 34 33 B3 16")]
    [InlineData("AAAAAAAAAAAA", "68 AA AA AA AA AA AA 68 11 04 33 33 34 33 AE 16")]
    [InlineData("123456789012", "68 12 90 78 56 34 12 68 11 04 33 33 34 33 68 16")]
    public void Read_forward_active_total_encodes_to_the_known_frame(string address, string expected)
    {
        var buffer = new byte[64];
        var length = Dlt645Frames.ReadData(buffer, Dlt645Address.Parse(address), Dlt645DataIdentifier.ForwardActiveTotal);
        Assert.Equal(expected, Hex.Text(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Read_voltage_a_encodes_to_the_known_frame()
    {
        var buffer = new byte[64];
        var length = Dlt645Frames.ReadData(buffer, Dlt645Address.Parse("123456789012"), Dlt645DataIdentifier.VoltageA);
        Assert.Equal("68 12 90 78 56 34 12 68 11 04 33 34 34 35 6B 16", Hex.Text(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Read_address_encodes_to_the_known_frame()
    {
        var buffer = new byte[64];
        var length = Dlt645Frames.ReadAddress(buffer);
        Assert.Equal("68 AA AA AA AA AA AA 68 13 00 DF 16", Hex.Text(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Address_reply_decodes_to_meter_000000000001()
    {
        var decoded = Dlt645Codec.Decode(Hex.Bytes("68 01 00 00 00 00 00 68 93 06 34 33 33 33 33 33 9D 16"), out var frame);
        Assert.True(decoded.IsDone);
        Assert.Equal(0x93, frame.Control);
        Span<byte> data = stackalloc byte[6];
        frame.CopyData(data);
        Assert.Equal("000000000001", Dlt645Address.FromWire(data).ToString());
        var buffer = new byte[64];
        Assert.Equal("68 01 00 00 00 00 00 68 93 06 34 33 33 33 33 33 9D 16", Hex.Text(buffer.AsSpan(0, Dlt645Frames.ReadAddressReply(buffer, Dlt645Address.Parse("000000000001")))));
    }

    [Theory]
    [InlineData("68 37 03 00 92 81 39 68 91 08 33 33 34 33 37 33 33 33 8C 16", "398192000337", "00010000", "0.04")]
    [InlineData("68 12 90 78 56 34 12 68 91 06 33 34 34 35 34 55 76 16", "123456789012", "02010100", "220.1")]
    [InlineData("68 12 90 78 56 34 12 68 91 07 33 34 35 35 67 45 B3 4E 16", "123456789012", "02020100", "-1.234")]
    [InlineData("68 12 90 78 56 34 12 68 91 08 33 33 34 33 9A 78 56 34 88 16", "123456789012", "00010000", "12345.67")]
    public void Read_reply_decodes_to_the_known_value(string wire, string address, string identifier, string value)
    {
        var bytes = Hex.Bytes(wire);
        var decoded = Dlt645Codec.Decode(bytes, out var frame);
        Assert.True(decoded.IsDone, decoded.ToString());
        Assert.Equal(bytes.Length, decoded.Consumed);
        Assert.Equal(address, frame.Address.ToString());
        Assert.Equal(0x91, frame.Control);
        var data = new byte[frame.DataLength];
        frame.CopyData(data);
        var di = Dlt645DataIdentifier.Read(data);
        Assert.Equal(identifier, di.ToString());
        Assert.True(Dlt645Bcd.TryDecode(data.AsSpan(4), di.KnownFormat!.Value, out var decodedValue));
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), decodedValue);

        // And the simulator's reply builder produces the same bytes.
        var encodedValue = new byte[di.KnownFormat.Value.Length];
        Dlt645Bcd.Encode(decodedValue, di.KnownFormat.Value, encodedValue);
        var buffer = new byte[64];
        var length = Dlt645Frames.ReadReply(buffer, Dlt645Address.Parse(address), di, encodedValue);
        Assert.Equal(wire, Hex.Text(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Error_reply_decodes_to_no_such_data()
    {
        var decoded = Dlt645Codec.Decode(Hex.Bytes("68 12 90 78 56 34 12 68 D1 01 35 8D 16"), out var frame);
        Assert.True(decoded.IsDone);
        Assert.True(frame.IsAbnormal);
        Assert.Equal(Dlt645Errors.NoSuchData, (Dlt645Errors)frame.DataAt(0));
        var buffer = new byte[64];
        Assert.Equal("68 12 90 78 56 34 12 68 D1 01 35 8D 16", Hex.Text(buffer.AsSpan(0, Dlt645Frames.ErrorReply(buffer, Dlt645Address.Parse("123456789012"), 0x11, Dlt645Errors.NoSuchData))));
    }

    [Fact]
    public void Relay_trip_encodes_to_the_known_frame_and_parses_back()
    {
        const string Wire = "68 06 10 24 05 19 20 68 1C 10 35 33 33 33 33 33 33 33 4D 33 33 33 33 33 33 33 C0 16";
        var buffer = new byte[64];
        var length = Dlt645Frames.RelayControl(buffer, Dlt645Address.Parse("201905241006"), new Dlt645RelayControl(0x02, 0, Dlt645RelayCommand.Trip));
        Assert.Equal(Wire, Hex.Text(buffer.AsSpan(0, length)));

        Assert.True(Dlt645Codec.Decode(Hex.Bytes(Wire), out var frame).IsDone);
        var data = new byte[frame.DataLength];
        frame.CopyData(data);
        Assert.True(Dlt645Frames.TryParseRelayControl(data, out var control));
        Assert.Equal(new Dlt645RelayControl(0x02, 0, Dlt645RelayCommand.Trip), control);
    }

    [Fact]
    public void Broadcast_time_sync_encodes_to_the_known_frame()
    {
        var buffer = new byte[64];
        var length = Dlt645Frames.BroadcastTimeSync(buffer, new DateTime(2017, 6, 5, 10, 22, 51, DateTimeKind.Unspecified));
        Assert.Equal("68 99 99 99 99 99 99 68 08 06 84 55 43 38 39 4A 4B 16", Hex.Text(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Address_goes_on_the_wire_low_byte_first()
    {
        Span<byte> wire = stackalloc byte[6];
        Dlt645Address.Parse("398192000337").WriteTo(wire);
        Assert.Equal("37 03 00 92 81 39", Hex.Text(wire));
        Assert.Equal(398192000337UL, Dlt645Address.Parse("398192000337").Number);
    }

    [Fact]
    public void Wake_up_bytes_before_a_frame_are_skipped_and_counted()
    {
        var bytes = Hex.Bytes("FE FE FE FE 68 12 90 78 56 34 12 68 D1 01 35 8D 16");
        var decoded = Dlt645Codec.Decode(bytes, out var frame);
        Assert.Equal(DecodeResult.Done(bytes.Length), decoded);
        Assert.Equal("123456789012", frame.Address.ToString());
    }

    [Theory]
    [InlineData("68 12 90 78 56 34 12 68 D1 01 35 8E 16", FrameError.BadChecksum)]
    [InlineData("68 12 90 78 56 34 12 68 D1 01 35 8D 17", FrameError.BadEndByte)]
    [InlineData("68 12 90 78 56 34 12 67 D1 01 35 8D 16", FrameError.BadStartByte)]
    [InlineData("69 12 90 78 56 34 12 68 D1 01 35 8D 16", FrameError.BadStartByte)]
    [InlineData("68 12 90 78 56 34 12 68 D1 FF 35 8D 16", FrameError.TooLong)]
    public void Corrupt_frames_are_invalid_with_a_reason(string wire, FrameError error)
    {
        var decoded = Dlt645Codec.Decode(Hex.Bytes(wire), out _);
        Assert.Equal(DecodeStatus.Invalid, decoded.Status);
        Assert.Equal(error, decoded.Error);
        Assert.InRange(decoded.Consumed, 1, 13);
    }

    [Fact]
    public void Truncated_frame_needs_more_data()
    {
        var bytes = Hex.Bytes("68 12 90 78 56 34 12 68 D1 01 35 8D 16");
        for (var n = 0; n < bytes.Length; n++)
        {
            Assert.Equal(DecodeStatus.NeedMoreData, Dlt645Codec.Decode(bytes.AsSpan(0, n), out _).Status);
        }
    }

    [Theory]
    [InlineData("00 00 00 80", 4, 2, true, "0")]
    [InlineData("99 99 99 99", 4, 2, false, "999999.99")]
    [InlineData("99 99 99 F9", 4, 2, true, "-799999.99")]
    [InlineData("34 12 80", 3, 3, true, "-1.234")]
    [InlineData("00 50 00", 3, 4, true, "0.5000")]
    [InlineData("00 10", 2, 3, true, "1.000")]
    [InlineData("00 50", 2, 2, false, "50.00")]
    public void Bcd_values_decode_as_specified(string bytes, int length, int decimals, bool isSigned, string expected)
    {
        Assert.True(Dlt645Bcd.TryDecode(Hex.Bytes(bytes), new Dlt645DataFormat(length, decimals, isSigned), out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Fact]
    public void Non_bcd_nibbles_are_refused()
    {
        Assert.False(Dlt645Bcd.TryDecode(Hex.Bytes("1A 00"), Dlt645DataFormat.Voltage, out _));
        Assert.False(Dlt645Bcd.TryDecode(Hex.Bytes("00"), Dlt645DataFormat.Voltage, out _));
    }
}
