namespace Kilowallet.Protocols.Codec;

/// <summary>Human-readable reasons for <see cref="FrameError"/> values (constant strings: no allocation).</summary>
public static class FrameErrors
{
    public static string Describe(FrameError error) => error switch
    {
        FrameError.None => "no error",
        FrameError.BadCrc => "CRC does not match the frame",
        FrameError.BadChecksum => "checksum does not match the frame",
        FrameError.UnknownFunction => "unknown or unsupported function code",
        FrameError.BadLength => "length does not match the function code",
        FrameError.ByteCountMismatch => "byte count does not match the quantity or the frame length",
        FrameError.QuantityOutOfRange => "quantity outside the limits of the function",
        FrameError.BadCoilValue => "single coil value is neither FF00 nor 0000",
        FrameError.TooLong => "frame longer than the protocol allows",
        FrameError.BadProtocolId => "MBAP protocol identifier is not 0",
        FrameError.BadStartByte => "frame does not start with 0x68 … 0x68",
        FrameError.BadEndByte => "frame does not end with 0x16",
        FrameError.UnexpectedResponse => "response does not match the request",
        FrameError.BadBcd => "value is not valid BCD",
        _ => "unknown error",
    };
}
