namespace Kilowallet.Protocols.Codec;

/// <summary>The outcome of decoding bytes from the wire.</summary>
public enum DecodeStatus
{
    /// <summary>A whole, valid frame was decoded.</summary>
    Done,

    /// <summary>The bytes so far are a plausible prefix of a frame; read more and try again.</summary>
    NeedMoreData,

    /// <summary>The bytes cannot start a valid frame; <see cref="DecodeResult.Error"/> says why.</summary>
    Invalid,
}
