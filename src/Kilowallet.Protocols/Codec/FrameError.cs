namespace Kilowallet.Protocols.Codec;

/// <summary>Why bytes were rejected. <see cref="FrameErrors.Describe"/> gives the reason as text.</summary>
public enum FrameError
{
    None,
    BadCrc,
    BadChecksum,
    UnknownFunction,
    BadLength,
    ByteCountMismatch,
    QuantityOutOfRange,
    BadCoilValue,
    TooLong,
    BadProtocolId,
    BadStartByte,
    BadEndByte,
    UnexpectedResponse,
    BadBcd,
}
