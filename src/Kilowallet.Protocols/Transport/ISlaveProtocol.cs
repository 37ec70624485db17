namespace Kilowallet.Protocols.Transport;

/// <summary>The protocol half of a slave server: finding request frames and answering them.</summary>
internal interface ISlaveProtocol
{
    /// <summary>Largest request or reply frame, for buffer sizing.</summary>
    int MaxFrameLength { get; }

    /// <summary>
    /// Looks at the start of <paramref name="received"/>: on <see cref="SlaveScan.Frame"/> the frame is copied
    /// into <paramref name="frame"/> (its length in <paramref name="frameLength"/>); <paramref name="consumed"/>
    /// is what to drop from the buffer.
    /// </summary>
    SlaveScan Scan(ReadOnlySpan<byte> received, Span<byte> frame, out int frameLength, out int consumed);

    /// <summary>
    /// Answers one request frame: writes the reply into <paramref name="reply"/> and returns its length
    /// (0: no reply, e.g. a broadcast or an unknown device); <paramref name="exchange"/> describes it.
    /// </summary>
    int Handle(ReadOnlySpan<byte> frame, Span<byte> reply, out SlaveExchange exchange);

    /// <summary>Breaks the reply's checksum; returns the length to send (0: send nothing).</summary>
    int Corrupt(Span<byte> reply, int length);
}
