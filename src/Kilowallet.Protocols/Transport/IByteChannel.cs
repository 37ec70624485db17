namespace Kilowallet.Protocols.Transport;

/// <summary>
/// A byte stream to a bus or device: a TCP connection to a gateway/serial server/DTU, or a serial port.
/// Masters own one and serialise requests on it. Implementations: <see cref="TcpByteChannel"/>,
/// <see cref="SerialByteChannel"/>.
/// </summary>
public interface IByteChannel : IAsyncDisposable
{
    /// <summary>Text for messages, e.g. "tcp 10.0.0.5:502" or "serial /dev/ttyUSB0 9600 8E1".</summary>
    string Description { get; }

    bool IsOpen { get; }

    /// <summary>Silence a master must leave between frames (RTU t3.5 on a serial line; zero on TCP).</summary>
    TimeSpan InterFrameGap { get; }

    /// <summary>Opens the channel; throws <see cref="IOException"/> (or a subclass) when it cannot.</summary>
    ValueTask OpenAsync(CancellationToken cancellationToken);

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Reads what is available (at least one byte); 0 means the peer closed the connection.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Drops bytes already received and not yet read (stale or late replies).</summary>
    void DiscardInput();

    /// <summary>Closes the connection; the next <see cref="OpenAsync"/> opens a new one.</summary>
    void Close();
}
