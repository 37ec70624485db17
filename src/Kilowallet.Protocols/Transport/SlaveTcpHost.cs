using System.Net;
using System.Net.Sockets;

namespace Kilowallet.Protocols.Transport;

/// <summary>
/// A TCP listener that serves a slave protocol to many clients. Each connection has its own receive
/// buffer and error boundary: garbage or a disconnect on one never affects another. Requests are
/// answered one at a time across connections when <see cref="SlaveServerOptions.SerializeRequests"/>.
/// </summary>
internal sealed class SlaveTcpHost : IAsyncDisposable
{
    private readonly ISlaveProtocol _protocol;
    private readonly SlaveServerOptions _options;
    private readonly SemaphoreSlim _bus = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _sync = new();
    private readonly HashSet<Socket> _clients = [];
    private readonly List<Task> _tasks = [];
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private bool _disposed;

    public SlaveTcpHost(ISlaveProtocol protocol, SlaveServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535, nameof(options));
        _protocol = protocol;
        _options = options;
    }

    public IPEndPoint EndPoint => (IPEndPoint?)_listener?.LocalEndPoint ?? throw new InvalidOperationException("The server is not started.");

    public int ConnectionCount
    {
        get
        {
            lock (_sync)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>Binds and listens (so the port is known on return), then accepts in the background.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_listener is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        var listener = new Socket(_options.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(_options.BindAddress, _options.Port));
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        _listener?.Dispose();
        Task[] tasks;
        lock (_sync)
        {
            // A copy: disposing a socket can run its connection's cleanup inline, which removes it from _clients.
            foreach (var client in _clients.ToArray())
            {
                client.Dispose();
            }

            tasks = [.. _tasks, _acceptLoop];
        }

        await Task.WhenAll(tasks);
        _stop.Dispose();
        _bus.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            lock (_sync)
            {
                if (_clients.Count >= _options.MaxConnections || stop.IsCancellationRequested)
                {
                    client.Dispose();
                    continue;
                }

                client.NoDelay = true;
                _clients.Add(client);
                _tasks.RemoveAll(t => t.IsCompleted);
                _tasks.Add(ServeAsync(client, stop));
            }
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stop)
    {
        var received = new ReceiveBuffer(4 * _protocol.MaxFrameLength);
        var frame = new byte[_protocol.MaxFrameLength];
        var reply = new byte[_protocol.MaxFrameLength];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                int read;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(stop))
                {
                    idle.CancelAfter(_options.IdleTimeout);
                    read = await client.ReceiveAsync(received.FreeSpace(), SocketFlags.None, idle.Token);
                }

                if (read == 0)
                {
                    return;
                }

                received.Advance(read);
                while (true)
                {
                    var scan = _protocol.Scan(received.Span, frame, out var frameLength, out var consumed);
                    if (scan == SlaveScan.NeedMore)
                    {
                        break;
                    }

                    if (scan == SlaveScan.Fatal)
                    {
                        return;
                    }

                    received.Consume(consumed);
                    if (scan == SlaveScan.Frame)
                    {
                        await AnswerAsync(client, frame, frameLength, reply, stop);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client went away, idled out, or the server is stopping: this connection's business only.
        }
        finally
        {
            lock (_sync)
            {
                _clients.Remove(client);
            }

            client.Dispose();
        }
    }

    private async Task AnswerAsync(Socket client, byte[] frame, int frameLength, byte[] reply, CancellationToken stop)
    {
        var serialize = _options.SerializeRequests;
        if (serialize)
        {
            await _bus.WaitAsync(stop);
        }

        try
        {
            var length = _protocol.Handle(frame.AsSpan(0, frameLength), reply, out var exchange);
            var plan = _options.ReplyPlanner?.Invoke(exchange) ?? SlaveReplyPlan.Immediate;
            if (plan.Delay > TimeSpan.Zero)
            {
                await Task.Delay(plan.Delay, _options.TimeProvider, stop);
            }

            if (length == 0 || plan.Action == SlaveReplyAction.Drop)
            {
                return;
            }

            if (plan.Action == SlaveReplyAction.CorruptChecksum)
            {
                length = _protocol.Corrupt(reply, length);
                if (length == 0)
                {
                    return;
                }
            }

            var pending = reply.AsMemory(0, length);
            while (!pending.IsEmpty)
            {
                var sent = await client.SendAsync(pending, SocketFlags.None, stop);
                pending = pending[sent..];
            }
        }
        finally
        {
            if (serialize)
            {
                _bus.Release();
            }
        }
    }
}
