namespace Kilowallet.Protocols.Transport;

/// <summary>A fixed receive buffer for stream framing: bytes arrive at the end, frames leave from the front.</summary>
internal sealed class ReceiveBuffer
{
    private readonly byte[] _bytes;

    public ReceiveBuffer(int capacity) => _bytes = new byte[capacity];

    public int Count { get; private set; }

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Count);

    public bool IsFull => Count == _bytes.Length;

    public void Clear() => Count = 0;

    public void Consume(int count)
    {
        if (count >= Count)
        {
            Count = 0;
            return;
        }

        Buffer.BlockCopy(_bytes, count, _bytes, 0, Count - count);
        Count -= count;
    }

    /// <summary>Reads once from the channel into the free space; returns the bytes read (0: peer closed).</summary>
    public async ValueTask<int> FillAsync(IByteChannel channel, CancellationToken cancellationToken)
    {
        if (IsFull)
        {
            // Only garbage can fill the buffer (every frame is shorter): drop the oldest half.
            Consume(_bytes.Length / 2);
        }

        var read = await channel.ReadAsync(_bytes.AsMemory(Count), cancellationToken);
        Count += read;
        return read;
    }

    /// <summary>Appends bytes (for servers that read from a stream themselves).</summary>
    public Memory<byte> FreeSpace()
    {
        if (IsFull)
        {
            Consume(_bytes.Length / 2);
        }

        return _bytes.AsMemory(Count);
    }

    public void Advance(int count) => Count += count;
}
