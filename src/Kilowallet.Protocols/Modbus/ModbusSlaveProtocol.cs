using System.Buffers.Binary;
using Kilowallet.Protocols.Codec;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Modbus;

/// <summary>The Modbus half of a slave server: framing (MBAP or RTU) and dispatch to devices by unit id.</summary>
internal sealed class ModbusSlaveProtocol(ModbusFraming framing, ModbusUnitTable units, bool gatewayExceptions) : ISlaveProtocol
{
    public int MaxFrameLength => ModbusLimits.MaxTcpAduLength;

    public SlaveScan Scan(ReadOnlySpan<byte> received, Span<byte> frame, out int frameLength, out int consumed)
    {
        frameLength = 0;
        consumed = 0;
        if (framing == ModbusFraming.Tcp)
        {
            var decoded = ModbusTcp.Decode(received, out _);
            switch (decoded.Status)
            {
                case DecodeStatus.NeedMoreData:
                    return SlaveScan.NeedMore;
                case DecodeStatus.Invalid:
                    return SlaveScan.Fatal;
                default:
                    received[..decoded.Consumed].CopyTo(frame);
                    frameLength = consumed = decoded.Consumed;
                    return SlaveScan.Frame;
            }
        }

        var rtu = ModbusRtu.Decode(received, ModbusFrameDirection.Request, out _);
        switch (rtu.Status)
        {
            case DecodeStatus.Done:
                received[..rtu.Consumed].CopyTo(frame);
                frameLength = consumed = rtu.Consumed;
                return SlaveScan.Frame;
            case DecodeStatus.Invalid:
                consumed = rtu.Consumed;
                return SlaveScan.Skip;
            default:
                var offset = ModbusRtu.FindFrame(received, ModbusFrameDirection.Request);
                if (offset > 0)
                {
                    consumed = offset;
                    return SlaveScan.Skip;
                }

                return SlaveScan.NeedMore;
        }
    }

    public int Handle(ReadOnlySpan<byte> frame, Span<byte> reply, out SlaveExchange exchange)
    {
        if (framing == ModbusFraming.Tcp)
        {
            var transactionId = BinaryPrimitives.ReadUInt16BigEndian(frame);
            var unit = frame[6];
            var pduLength = Dispatch(unit, frame[ModbusLimits.MbapHeaderLength..], reply[ModbusLimits.MbapHeaderLength..], isTcp: true);
            var length = pduLength == 0 ? 0 : ModbusTcp.Seal(reply, transactionId, unit, pduLength);
            exchange = new SlaveExchange(unit, frame.Length, length, unit == ModbusLimits.BroadcastUnit);
            return length;
        }
        else
        {
            var unit = frame[0];
            var pduLength = Dispatch(unit, frame[1..^2], reply[1..], isTcp: false);
            var length = pduLength == 0 ? 0 : ModbusRtu.Seal(reply, unit, pduLength);
            exchange = new SlaveExchange(unit, frame.Length, length, unit == ModbusLimits.BroadcastUnit);
            return length;
        }
    }

    public int Corrupt(Span<byte> reply, int length)
    {
        if (framing == ModbusFraming.Rtu)
        {
            reply[length - 1] ^= 0xFF;
            return length;
        }

        // Modbus TCP has no CRC: a gateway that got a garbled reply from the bus answers 0x0B, or nothing.
        if (!gatewayExceptions)
        {
            return 0;
        }

        var pduLength = ModbusPdu.WriteExceptionResponse(reply[ModbusLimits.MbapHeaderLength..], (byte)(reply[7] & 0x7F), ModbusExceptionCode.GatewayTargetFailedToRespond);
        return ModbusTcp.Seal(reply, BinaryPrimitives.ReadUInt16BigEndian(reply), reply[6], pduLength);
    }

    /// <summary>Answers one request PDU; returns the reply PDU length, or 0 for no reply.</summary>
    internal int Dispatch(byte unit, ReadOnlySpan<byte> pdu, Span<byte> replyPdu, bool isTcp)
    {
        var decoded = ModbusPdu.DecodeRequest(pdu, out var request);
        if (unit == ModbusLimits.BroadcastUnit)
        {
            if (decoded.IsDone)
            {
                foreach (var each in units.All())
                {
                    _ = Execute(each, request, replyPdu, out _);
                }
            }

            return 0;
        }

        var device = units[unit];
        if (device is null)
        {
            return isTcp && gatewayExceptions && !pdu.IsEmpty
                ? ModbusPdu.WriteExceptionResponse(replyPdu, (byte)(pdu[0] & 0x7F), ModbusExceptionCode.GatewayTargetFailedToRespond)
                : 0;
        }

        if (!decoded.IsDone)
        {
            if (pdu.IsEmpty)
            {
                return 0;
            }

            var code = decoded.Error == FrameError.UnknownFunction ? ModbusExceptionCode.IllegalFunction : ModbusExceptionCode.IllegalDataValue;
            return ModbusPdu.WriteExceptionResponse(replyPdu, (byte)(pdu[0] & 0x7F), code);
        }

        var exception = Execute(device, request, replyPdu, out var length);
        return exception == ModbusExceptionCode.None
            ? length
            : ModbusPdu.WriteExceptionResponse(replyPdu, (byte)request.Function, exception);
    }

    private static ModbusExceptionCode Execute(IModbusSlaveDevice device, in ModbusRequestView request, Span<byte> replyPdu, out int length)
    {
        length = 0;
        if (request.Address + request.Quantity > 0x10000)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        try
        {
            switch (request.Function)
            {
                case ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters:
                    {
                        Span<ushort> registers = stackalloc ushort[request.Quantity];
                        var code = request.Function == ModbusFunction.ReadHoldingRegisters
                            ? device.ReadHoldingRegisters(request.Address, registers)
                            : device.ReadInputRegisters(request.Address, registers);
                        if (code == ModbusExceptionCode.None)
                        {
                            length = ModbusPdu.WriteReadRegistersResponse(replyPdu, request.Function, registers);
                        }

                        return code;
                    }

                case ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs:
                    {
                        Span<bool> bits = stackalloc bool[request.Quantity];
                        var code = request.Function == ModbusFunction.ReadCoils
                            ? device.ReadCoils(request.Address, bits)
                            : device.ReadDiscreteInputs(request.Address, bits);
                        if (code == ModbusExceptionCode.None)
                        {
                            length = ModbusPdu.WriteReadBitsResponse(replyPdu, request.Function, bits);
                        }

                        return code;
                    }

                case ModbusFunction.WriteSingleCoil:
                    return Echo(device.WriteSingleCoil(request.Address, request.SingleCoilOn), request, request.Value, replyPdu, out length);

                case ModbusFunction.WriteSingleRegister:
                    return Echo(device.WriteSingleRegister(request.Address, request.Value), request, request.Value, replyPdu, out length);

                case ModbusFunction.WriteMultipleRegisters:
                    {
                        Span<ushort> registers = stackalloc ushort[request.Quantity];
                        for (var i = 0; i < registers.Length; i++)
                        {
                            registers[i] = request.GetRegister(i);
                        }

                        return Echo(device.WriteMultipleRegisters(request.Address, registers), request, request.Quantity, replyPdu, out length);
                    }

                default:
                    {
                        Span<bool> bits = stackalloc bool[request.Quantity];
                        for (var i = 0; i < bits.Length; i++)
                        {
                            bits[i] = request.GetBit(i);
                        }

                        return Echo(device.WriteMultipleCoils(request.Address, bits), request, request.Quantity, replyPdu, out length);
                    }
            }
        }
#pragma warning disable CA1031 // Error boundary per device: whatever a (simulated) device throws becomes exception 04 for that request only.
        catch (Exception)
#pragma warning restore CA1031
        {
            return ModbusExceptionCode.ServerDeviceFailure;
        }
    }

    private static ModbusExceptionCode Echo(ModbusExceptionCode code, in ModbusRequestView request, ushort word, Span<byte> replyPdu, out int length)
    {
        length = code == ModbusExceptionCode.None ? ModbusPdu.WriteWriteResponse(replyPdu, request.Function, request.Address, word) : 0;
        return code;
    }
}
