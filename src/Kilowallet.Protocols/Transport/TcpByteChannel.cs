using System.Net.Sockets;

namespace Kilowallet.Protocols.Transport;

/// <summary>A TCP connection that can be closed and reopened.</summary>
public sealed class TcpByteChannel : IByteChannel
{
    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _connectTimeout;
    private Socket? _socket;

    public TcpByteChannel(string host, int port, TimeSpan connectTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(connectTimeout, TimeSpan.Zero);
        _host = host;
        _port = port;
        _connectTimeout = connectTimeout;
    }

    public string Description => $"tcp {_host}:{_port}";

    public bool IsOpen => _socket is { Connected: true };

    public TimeSpan InterFrameGap => TimeSpan.Zero;

    public async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        Close();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_connectTimeout);
        try
        {
            await socket.ConnectAsync(_host, _port, timeout.Token);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            _socket = socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new IOException($"Connecting to {_host}:{_port} timed out after {_connectTimeout.TotalSeconds:0.###} s.");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new IOException($"Cannot connect to {_host}:{_port}: {ex.Message}", ex);
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new IOException("Not connected.");
        try
        {
            while (!data.IsEmpty)
            {
                var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
                data = data[sent..];
            }
        }
        catch (SocketException ex)
        {
            throw new IOException($"Sending to {_host}:{_port} failed: {ex.Message}", ex);
        }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new IOException("Not connected.");
        try
        {
            return await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new IOException($"Receiving from {_host}:{_port} failed: {ex.Message}", ex);
        }
    }

    public void DiscardInput()
    {
        if (_socket is not { } socket)
        {
            return;
        }

        try
        {
            Span<byte> sink = stackalloc byte[256];
            while (socket.Available > 0)
            {
                if (socket.Receive(sink, SocketFlags.None) == 0)
                {
                    break;
                }
            }
        }
        catch (SocketException)
        {
            Close();
        }
        catch (ObjectDisposedException)
        {
            Close();
        }
    }

    public void Close()
    {
        var socket = _socket;
        _socket = null;
        socket?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
