using Kilowallet.Protocols.Codec;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Dlt645;

/// <summary>The DL/T 645 half of a slave server: framing, resynchronisation and dispatch by meter address.</summary>
internal sealed class Dlt645SlaveProtocol(Dlt645DeviceTable devices, int replyWakeUpBytes) : ISlaveProtocol
{
    public int MaxFrameLength => Dlt645Codec.MaxFrameLength;

    public SlaveScan Scan(ReadOnlySpan<byte> received, Span<byte> frame, out int frameLength, out int consumed)
    {
        frameLength = 0;
        consumed = 0;
        var decoded = Dlt645Codec.Decode(received, out _);
        switch (decoded.Status)
        {
            case DecodeStatus.Done:
                received[..decoded.Consumed].CopyTo(frame);
                frameLength = consumed = decoded.Consumed;
                return SlaveScan.Frame;
            case DecodeStatus.Invalid:
                consumed = decoded.Consumed;
                return SlaveScan.Skip;
            default:
                var offset = Dlt645Codec.FindFrame(received);
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
        exchange = default;
        if (!Dlt645Codec.Decode(frame, out var request).IsDone || request.IsReply)
        {
            return 0;
        }

        Span<byte> data = stackalloc byte[Dlt645Codec.MaxDataLength];
        data = data[..request.CopyData(data)];
        if (request.Address.IsBroadcast)
        {
            if (request.Function == Dlt645Control.BroadcastTimeSync && Dlt645Frames.TryReadDateTime(data, out var time))
            {
                foreach (var each in devices.All())
                {
                    each.SyncTime(time);
                }
            }

            exchange = new SlaveExchange(0, frame.Length, 0, IsBroadcast: true);
            return 0;
        }

        var device = devices.Find(request.Address);
        if (device is null)
        {
            return 0;
        }

        var length = Answer(device, request.Function, request.Address, data, reply);
        exchange = new SlaveExchange(device.Address.Number, frame.Length, length, IsBroadcast: false);
        return length;
    }

    public int Corrupt(Span<byte> reply, int length)
    {
        reply[length - 2] ^= 0xFF;
        return length;
    }

    private int Answer(IDlt645SlaveDevice device, byte function, Dlt645Address requested, ReadOnlySpan<byte> data, Span<byte> reply)
    {
        var address = device.Address;
        try
        {
            switch (function)
            {
                case Dlt645Control.ReadData when data.Length >= 4:
                    {
                        var identifier = Dlt645DataIdentifier.Read(data);
                        Span<byte> value = stackalloc byte[Dlt645Codec.MaxDataLength - 4];
                        var errors = device.Read(identifier, value, out var valueLength);
                        return errors == Dlt645Errors.None
                            ? Dlt645Frames.ReadReply(reply, address, identifier, value[..valueLength], followUp: false, replyWakeUpBytes)
                            : Dlt645Frames.ErrorReply(reply, address, function, errors, replyWakeUpBytes);
                    }

                case Dlt645Control.ReadAddress when requested.IsWildcard:
                    return Dlt645Frames.ReadAddressReply(reply, address, replyWakeUpBytes);

                case Dlt645Control.RelayControl:
                    {
                        if (!Dlt645Frames.TryParseRelayControl(data, out var control))
                        {
                            return Dlt645Frames.ErrorReply(reply, address, function, Dlt645Errors.Other, replyWakeUpBytes);
                        }

                        var errors = device.Control(control);
                        return errors == Dlt645Errors.None
                            ? Dlt645Frames.RelayControlReply(reply, address, replyWakeUpBytes)
                            : Dlt645Frames.ErrorReply(reply, address, function, errors, replyWakeUpBytes);
                    }

                default:
                    return Dlt645Frames.ErrorReply(reply, address, function, Dlt645Errors.Other, replyWakeUpBytes);
            }
        }
#pragma warning disable CA1031 // Error boundary per device: whatever a (simulated) meter throws becomes an ERR reply for that request only.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Dlt645Frames.ErrorReply(reply, address, function, Dlt645Errors.Other, replyWakeUpBytes);
        }
    }
}
