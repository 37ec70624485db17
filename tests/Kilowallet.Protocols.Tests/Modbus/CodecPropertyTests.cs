using FsCheck.Xunit;
using Kilowallet.Protocols.Codec;
using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Modbus;

namespace Kilowallet.Protocols.Tests.Modbus;

public sealed class CodecPropertyTests
{
    [Property(MaxTest = 2000)]
    public void Decoding_arbitrary_bytes_never_throws_nor_consumes_more_than_given(byte[] bytes)
    {
        foreach (var direction in new[] { ModbusFrameDirection.Request, ModbusFrameDirection.Response })
        {
            Check(ModbusRtu.Decode(bytes, direction, out _), bytes.Length);
            _ = ModbusRtu.FindFrame(bytes, direction);
        }

        Check(ModbusTcp.Decode(bytes, out _), bytes.Length);
        Check(ModbusPdu.DecodeRequest(bytes, out _), bytes.Length);
        Check(ModbusPdu.DecodeResponse(bytes, out _), bytes.Length);
        Check(Dlt645Codec.Decode(bytes, out _), bytes.Length);
        _ = Dlt645Codec.FindFrame(bytes);
    }

    [Property(MaxTest = 500)]
    public void Decoding_arbitrary_bytes_behind_a_valid_header_never_throws(byte function, byte[] tail)
    {
        byte[] rtu = [1, function, .. tail];
        Check(ModbusRtu.Decode(rtu, ModbusFrameDirection.Response, out _), rtu.Length);
        byte[] tcp = [0, 1, 0, 0, 0, (byte)Math.Min(tail.Length + 2, 255), 1, function, .. tail];
        var decoded = ModbusTcp.Decode(tcp, out var frame);
        Check(decoded, tcp.Length);
        if (decoded.IsDone)
        {
            Check(ModbusPdu.DecodeResponse(frame.Pdu, out _), frame.Pdu.Length);
            Check(ModbusPdu.DecodeRequest(frame.Pdu, out _), frame.Pdu.Length);
        }

        byte[] dlt = [0xFE, 0x68, 1, 2, 3, 4, 5, 6, 0x68, function, (byte)Math.Min(tail.Length, 255), .. tail];
        Check(Dlt645Codec.Decode(dlt, out _), dlt.Length);
    }

    [Property(MaxTest = 500)]
    public void Register_read_round_trips_through_rtu_and_tcp(byte unit, ushort address, ushort[] registers)
    {
        var values = registers.Take(ModbusLimits.MaxReadRegisters).DefaultIfEmpty((ushort)7).ToArray();
        var quantity = (ushort)values.Length;
        var start = (ushort)Math.Min(address, 0x10000 - quantity);
        var request = ModbusRequest.ReadHoldingRegisters(start, quantity);
        var buffer = new byte[ModbusLimits.MaxTcpAduLength];

        var length = ModbusRtu.WriteRequest(buffer, unit, request);
        Assert.True(ModbusRtu.Decode(buffer.AsSpan(0, length), ModbusFrameDirection.Request, out var requestFrame).IsDone);
        Assert.True(ModbusPdu.DecodeRequest(requestFrame.Pdu, out var view).IsDone);
        Assert.Equal((start, quantity, unit), (view.Address, view.Quantity, requestFrame.Unit));

        length = ModbusRtu.Seal(buffer, unit, ModbusPdu.WriteReadRegistersResponse(buffer.AsSpan(1), ModbusFunction.ReadHoldingRegisters, values));
        Assert.Equal(DecodeResult.Done(length), ModbusRtu.Decode(buffer.AsSpan(0, length), ModbusFrameDirection.Response, out var responseFrame));
        Assert.True(ModbusPdu.DecodeResponse(responseFrame.Pdu, out var response).IsDone);
        Assert.Equal(FrameError.None, ModbusPdu.Match(response, request));
        var decoded = new ushort[quantity];
        response.CopyRegisters(decoded);
        Assert.Equal(values, decoded);

        length = ModbusTcp.Seal(buffer, 0x1234, unit, ModbusPdu.WriteReadRegistersResponse(buffer.AsSpan(7), ModbusFunction.ReadHoldingRegisters, values));
        Assert.True(ModbusTcp.Decode(buffer.AsSpan(0, length), out var tcpFrame).IsDone);
        Assert.Equal(0x1234, tcpFrame.TransactionId);
    }

    [Property(MaxTest = 500)]
    public void Every_request_type_round_trips(ushort address, ushort value, bool[] coils, ushort[] registers)
    {
        var bits = coils.Take(ModbusLimits.MaxWriteBits).DefaultIfEmpty(true).ToArray();
        var words = registers.Take(ModbusLimits.MaxWriteRegisters).DefaultIfEmpty((ushort)1).ToArray();
        ModbusRequest[] requests =
        [
            ModbusRequest.ReadCoils(0, 2000), ModbusRequest.ReadDiscreteInputs(5, 1), ModbusRequest.ReadInputRegisters(0, 125),
            ModbusRequest.WriteSingleCoil(address, value % 2 == 0), ModbusRequest.WriteSingleRegister(address, value),
            ModbusRequest.WriteMultipleCoils((ushort)Math.Min(address, 0x10000 - bits.Length), bits),
            ModbusRequest.WriteMultipleRegisters((ushort)Math.Min(address, 0x10000 - words.Length), words),
        ];
        var buffer = new byte[ModbusLimits.MaxRtuAduLength];
        foreach (var request in requests)
        {
            var length = ModbusRtu.WriteRequest(buffer, 17, request);
            Assert.True(length <= ModbusLimits.MaxRtuAduLength);
            Assert.True(ModbusRtu.Decode(buffer.AsSpan(0, length), ModbusFrameDirection.Request, out var frame).IsDone);
            Assert.True(ModbusPdu.DecodeRequest(frame.Pdu, out var view).IsDone);
            Assert.Equal(request.Function, view.Function);
            Assert.Equal(request.Address, view.Address);
            if (request.Function == ModbusFunction.WriteMultipleCoils)
            {
                var got = new bool[view.Quantity];
                for (var i = 0; i < got.Length; i++)
                {
                    got[i] = view.GetBit(i);
                }

                Assert.Equal(bits, got);
            }

            if (request.Function == ModbusFunction.WriteMultipleRegisters)
            {
                var got = new ushort[view.Quantity];
                for (var i = 0; i < got.Length; i++)
                {
                    got[i] = view.GetRegister(i);
                }

                Assert.Equal(words, got);
            }

            // The write echo and exception responses round-trip too.
            var echo = ModbusRtu.Seal(buffer, 17, ModbusPdu.WriteWriteResponse(buffer.AsSpan(1), ModbusFunction.WriteMultipleRegisters, 1, 2));
            Assert.True(ModbusRtu.Decode(buffer.AsSpan(0, echo), ModbusFrameDirection.Response, out _).IsDone);
            var exception = ModbusRtu.Seal(buffer, 17, ModbusPdu.WriteExceptionResponse(buffer.AsSpan(1), (byte)request.Function, ModbusExceptionCode.IllegalDataAddress));
            Assert.True(ModbusRtu.Decode(buffer.AsSpan(0, exception), ModbusFrameDirection.Response, out var exceptionFrame).IsDone);
            Assert.True(ModbusPdu.DecodeResponse(exceptionFrame.Pdu, out var response).IsDone);
            Assert.Equal(ModbusExceptionCode.IllegalDataAddress, response.ExceptionCode);
        }
    }

    [Property(MaxTest = 300)]
    public void Dlt645_frames_round_trip(ulong number, byte control, byte[] data, byte wake)
    {
        var address = Dlt645Address.FromNumber(number % 1_000_000_000_000UL);
        var payload = data.Take(Dlt645Codec.MaxDataLength).ToArray();
        var buffer = new byte[Dlt645Codec.MaxFrameLength];
        var length = Dlt645Codec.Encode(buffer, address, control, payload, wake % 5);
        var decoded = Dlt645Codec.Decode(buffer.AsSpan(0, length), out var frame);
        Assert.Equal(DecodeResult.Done(length), decoded);
        Assert.Equal(address, frame.Address);
        Assert.Equal(control, frame.Control);
        var plain = new byte[frame.DataLength];
        frame.CopyData(plain);
        Assert.Equal(payload, plain);
    }

    [Property(MaxTest = 300)]
    public void Bcd_values_round_trip(int cents, bool negative)
    {
        var value = (negative ? -1 : 1) * (Math.Abs((long)cents) % 8_000_000) / 1000m;
        var bytes = new byte[3];
        Dlt645Bcd.Encode(value, Dlt645DataFormat.Current, bytes);
        Assert.True(Dlt645Bcd.TryDecode(bytes, Dlt645DataFormat.Current, out var decoded));
        Assert.Equal(value, decoded);
    }

    [Property(MaxTest = 300)]
    public void Resync_after_garbage_recovers_the_next_good_frame(byte[] garbage)
    {
        var buffer = new byte[ModbusLimits.MaxRtuAduLength];
        var length = ModbusRtu.Seal(buffer, 9, ModbusPdu.WriteReadRegistersResponse(buffer.AsSpan(1), ModbusFunction.ReadInputRegisters, [1, 2, 3]));
        byte[] stream = [.. garbage.Take(200), .. buffer.AsSpan(0, length).ToArray()];
        var offset = ModbusRtu.FindFrame(stream, ModbusFrameDirection.Response, unit: 9);
        Assert.InRange(offset, 0, stream.Length - length);
        Assert.True(ModbusRtu.Decode(stream.AsSpan(offset), ModbusFrameDirection.Response, out var frame).IsDone);
        Assert.Equal(9, frame.Unit);

        var dlt = new byte[64];
        var dltLength = Dlt645Frames.ReadAddressReply(dlt, Dlt645Address.Parse("000000000001"), 2);
        byte[] dltStream = [.. garbage.Take(200), .. dlt.AsSpan(0, dltLength).ToArray()];
        Assert.InRange(Dlt645Codec.FindFrame(dltStream), 0, dltStream.Length - dltLength + 2);
    }

    private static void Check(DecodeResult result, int given)
    {
        Assert.InRange(result.Consumed, 0, given);
        if (result.Status == DecodeStatus.Invalid)
        {
            Assert.NotEqual(FrameError.None, result.Error);
            Assert.False(string.IsNullOrEmpty(result.Reason));
        }
    }
}
