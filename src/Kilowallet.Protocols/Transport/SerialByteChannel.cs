using System.IO.Ports;

namespace Kilowallet.Protocols.Transport;

/// <summary>A serial port (RS485 adapter) as a byte channel.</summary>
public sealed class SerialByteChannel : IByteChannel
{
    private readonly SerialSettings _settings;
    private SerialPort? _port;

    public SerialByteChannel(SerialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    public string Description => $"serial {_settings}";

    public bool IsOpen => _port is { IsOpen: true };

    public TimeSpan InterFrameGap => SerialTiming.T35(_settings.BaudRate);

    public ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Close();
        var port = new SerialPort(_settings.PortName, _settings.BaudRate, _settings.Parity, _settings.DataBits, _settings.StopBits)
        {
            Handshake = Handshake.None,
            ReadTimeout = SerialPort.InfiniteTimeout,
            WriteTimeout = 2000,
        };
        try
        {
            port.Open();
            port.DiscardInBuffer();
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or ArgumentException or InvalidOperationException or IOException)
        {
            port.Dispose();
            throw new IOException($"Cannot open {_settings.PortName}: {ex.Message}", ex);
        }

        _port = port;
        return ValueTask.CompletedTask;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var port = _port ?? throw new IOException("Serial port not open.");
        await port.BaseStream.WriteAsync(data, cancellationToken);
        await port.BaseStream.FlushAsync(cancellationToken);
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var port = _port ?? throw new IOException("Serial port not open.");
        return await port.BaseStream.ReadAsync(buffer, cancellationToken);
    }

    public void DiscardInput()
    {
        try
        {
            _port?.DiscardInBuffer();
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            Close();
        }
    }

    public void Close()
    {
        var port = _port;
        _port = null;
        port?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
