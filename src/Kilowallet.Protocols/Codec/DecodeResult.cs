namespace Kilowallet.Protocols.Codec;

/// <summary>
/// What a decoder made of a buffer. <see cref="Consumed"/> is never more than the buffer it was given:
/// for <see cref="DecodeStatus.Done"/> it is the length of the frame (including any preamble skipped);
/// for <see cref="DecodeStatus.NeedMoreData"/> it is 0; for <see cref="DecodeStatus.Invalid"/> it is how many
/// bytes to drop before trying again (at least 1; stream readers resynchronise by dropping them).
/// </summary>
public readonly record struct DecodeResult(DecodeStatus Status, int Consumed, FrameError Error)
{
    public static DecodeResult NeedMore => new(DecodeStatus.NeedMoreData, 0, FrameError.None);

    public bool IsDone => Status == DecodeStatus.Done;

    public bool IsInvalid => Status == DecodeStatus.Invalid;

    /// <summary>The reason for an invalid result, as text.</summary>
    public string Reason => FrameErrors.Describe(Error);

    public static DecodeResult Done(int consumed) => new(DecodeStatus.Done, consumed, FrameError.None);

    public static DecodeResult Invalid(FrameError error, int consumed = 1) => new(DecodeStatus.Invalid, consumed, error);

    public override string ToString() => Status switch
    {
        DecodeStatus.Done => $"done ({Consumed} bytes)",
        DecodeStatus.NeedMoreData => "need more data",
        _ => $"invalid: {Reason}",
    };
}
