using System.IO.Ports;

namespace Kilowallet.Protocols.Transport;

/// <summary>A slave protocol served on a serial port (for bench rigs and the virtual serial pair interop test).</summary>
internal sealed class SlaveSerialHost : IAsyncDisposable
{
    private readonly ISlaveProtocol _protocol;
    private readonly SerialSettings _settings;
    private readonly Func<SlaveExchange, SlaveReplyPlan>? _planner;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private SerialPort? _port;
    private Task _loop = Task.CompletedTask;

    public SlaveSerialHost(ISlaveProtocol protocol, SerialSettings settings, Func<SlaveExchange, SlaveReplyPlan>? planner, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _protocol = protocol;
        _settings = settings;
        _planner = planner;
        _time = time;
    }

    /// <summary>Opens the port; throws <see cref="IOException"/> when it cannot.</summary>
    public void Start()
    {
        var port = new SerialPort(_settings.PortName, _settings.BaudRate, _settings.Parity, _settings.DataBits, _settings.StopBits);
        try
        {
            port.Open();
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or ArgumentException or InvalidOperationException or IOException)
        {
            port.Dispose();
            throw new IOException($"Cannot open {_settings.PortName}: {ex.Message}", ex);
        }

        _port = port;
        _loop = ServeAsync(port.BaseStream, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _port?.Dispose();
        await _loop;
        _stop.Dispose();
    }

    private async Task ServeAsync(Stream stream, CancellationToken stop)
    {
        var received = new ReceiveBuffer(4 * _protocol.MaxFrameLength);
        var frame = new byte[_protocol.MaxFrameLength];
        var reply = new byte[_protocol.MaxFrameLength];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(received.FreeSpace(), stop);
                if (read == 0)
                {
                    continue;
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
                        received.Clear();
                        break;
                    }

                    received.Consume(consumed);
                    if (scan != SlaveScan.Frame)
                    {
                        continue;
                    }

                    var length = _protocol.Handle(frame.AsSpan(0, frameLength), reply, out var exchange);
                    var plan = _planner?.Invoke(exchange) ?? SlaveReplyPlan.Immediate;
                    if (plan.Delay > TimeSpan.Zero)
                    {
                        await Task.Delay(plan.Delay, _time, stop);
                    }

                    if (length == 0 || plan.Action == SlaveReplyAction.Drop)
                    {
                        continue;
                    }

                    if (plan.Action == SlaveReplyAction.CorruptChecksum)
                    {
                        length = _protocol.Corrupt(reply, length);
                    }

                    await stream.WriteAsync(reply.AsMemory(0, length), stop);
                    await stream.FlushAsync(stop);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopping, or the port went away.
        }
    }
}
