using Kilowallet.Protocols.Codec;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Modbus;

/// <summary>
/// A Modbus master (client) on one connection or bus: Modbus TCP, RTU over a serial port, or RTU
/// tunnelled over TCP. One request is in flight at a time; each attempt has a finite timeout; failed
/// attempts are retried; a broken connection is reopened with exponential backoff. Meter-level problems
/// come back as <see cref="ModbusResult"/> values, never as exceptions (cancellation by the caller still
/// throws <see cref="OperationCanceledException"/>).
/// </summary>
public sealed class ModbusMaster : IAsyncDisposable
{
    private readonly ModbusFraming _framing;
    private readonly MasterOptions _options;
    private readonly ChannelLink _link;
    private readonly WireCounters _counters = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ReceiveBuffer _rx = new(1024);
    private readonly byte[] _tx = new byte[ModbusLimits.MaxTcpAduLength];
    private ushort _transactionId;
    private bool _disposed;

    public ModbusMaster(IByteChannel channel, ModbusFraming framing, MasterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _options = options ?? new MasterOptions();
        _options.Validate();
        _framing = framing;
        _link = new ChannelLink(channel, _options, _counters);
    }

    public string Description => $"modbus-{(_framing == ModbusFraming.Tcp ? "tcp" : "rtu")} {_link.Channel.Description}";

    public WireStatistics Statistics => _counters.Snapshot();

    /// <summary>Modbus TCP (MBAP) to a device or gateway.</summary>
    public static ModbusMaster CreateTcp(string host, int port, MasterOptions? options = null)
    {
        options ??= new MasterOptions();
        return new ModbusMaster(new TcpByteChannel(host, port, options.ConnectTimeout), ModbusFraming.Tcp, options);
    }

    /// <summary>RTU frames tunnelled over TCP: serial servers and 4G DTUs in transparent mode.</summary>
    public static ModbusMaster CreateRtuOverTcp(string host, int port, MasterOptions? options = null)
    {
        options ??= new MasterOptions();
        return new ModbusMaster(new TcpByteChannel(host, port, options.ConnectTimeout), ModbusFraming.Rtu, options);
    }

    /// <summary>RTU on a local serial port (RS485 adapter).</summary>
    public static ModbusMaster CreateRtuSerial(SerialSettings settings, MasterOptions? options = null) =>
        new(new SerialByteChannel(settings), ModbusFraming.Rtu, options);

    public async ValueTask<ModbusResult<ushort[]>> ReadHoldingRegistersAsync(byte unit, ushort address, ushort count, CancellationToken cancellationToken) =>
        await ReadRegistersAsync(unit, ModbusFunction.ReadHoldingRegisters, address, count, cancellationToken);

    public async ValueTask<ModbusResult<ushort[]>> ReadInputRegistersAsync(byte unit, ushort address, ushort count, CancellationToken cancellationToken) =>
        await ReadRegistersAsync(unit, ModbusFunction.ReadInputRegisters, address, count, cancellationToken);

    /// <summary>FC 03 or 04.</summary>
    public async ValueTask<ModbusResult<ushort[]>> ReadRegistersAsync(byte unit, ModbusFunction function, ushort address, ushort count, CancellationToken cancellationToken)
    {
        var request = ModbusRequest.Read(function, address, count);
        var registers = new ushort[count];
        var result = await ExecuteAsync(unit, request, registers, Memory<bool>.Empty, cancellationToken);
        return result.WithValue(result.IsSuccess ? registers : null);
    }

    public async ValueTask<ModbusResult<bool[]>> ReadCoilsAsync(byte unit, ushort address, ushort count, CancellationToken cancellationToken) =>
        await ReadBitsAsync(unit, ModbusFunction.ReadCoils, address, count, cancellationToken);

    public async ValueTask<ModbusResult<bool[]>> ReadDiscreteInputsAsync(byte unit, ushort address, ushort count, CancellationToken cancellationToken) =>
        await ReadBitsAsync(unit, ModbusFunction.ReadDiscreteInputs, address, count, cancellationToken);

    /// <summary>FC 01 or 02.</summary>
    public async ValueTask<ModbusResult<bool[]>> ReadBitsAsync(byte unit, ModbusFunction function, ushort address, ushort count, CancellationToken cancellationToken)
    {
        var request = ModbusRequest.Read(function, address, count);
        var bits = new bool[count];
        var result = await ExecuteAsync(unit, request, Memory<ushort>.Empty, bits, cancellationToken);
        return result.WithValue(result.IsSuccess ? bits : null);
    }

    public ValueTask<ModbusResult> WriteSingleCoilAsync(byte unit, ushort address, bool on, CancellationToken cancellationToken) =>
        ExecuteAsync(unit, ModbusRequest.WriteSingleCoil(address, on), default, default, cancellationToken);

    public ValueTask<ModbusResult> WriteSingleRegisterAsync(byte unit, ushort address, ushort value, CancellationToken cancellationToken) =>
        ExecuteAsync(unit, ModbusRequest.WriteSingleRegister(address, value), default, default, cancellationToken);

    public ValueTask<ModbusResult> WriteMultipleRegistersAsync(byte unit, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken) =>
        ExecuteAsync(unit, ModbusRequest.WriteMultipleRegisters(address, values), default, default, cancellationToken);

    public ValueTask<ModbusResult> WriteMultipleCoilsAsync(byte unit, ushort address, ReadOnlyMemory<bool> values, CancellationToken cancellationToken) =>
        ExecuteAsync(unit, ModbusRequest.WriteMultipleCoils(address, values), default, default, cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> to <paramref name="unit"/> and waits for its answer, retrying as
    /// configured. Register reads fill <paramref name="registers"/> and bit reads fill <paramref name="bits"/>
    /// (each must hold the requested quantity). Unit 0 is a broadcast: writes only, and no answer is awaited.
    /// </summary>
    public async ValueTask<ModbusResult> ExecuteAsync(byte unit, ModbusRequest request, Memory<ushort> registers, Memory<bool> bits, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (request.Function is ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(registers.Length, request.Quantity, nameof(registers));
        }

        if (request.Function is ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(bits.Length, request.Quantity, nameof(bits));
        }

        if (unit == ModbusLimits.BroadcastUnit && request.Function is ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs or ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters)
        {
            throw new ArgumentException("Unit 0 is the broadcast address: it takes writes only.", nameof(unit));
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var result = default(ModbusResult);
            for (var attempt = 0; attempt <= _options.Retries; attempt++)
            {
                _counters.Request();
                result = await AttemptAsync(unit, request, registers, bits, cancellationToken);
                _counters.Outcome(result.Status);
                if (result.Status is ExchangeStatus.Success or ExchangeStatus.DeviceError)
                {
                    break;
                }
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _gate.WaitAsync();
        try
        {
            await _link.Channel.DisposeAsync();
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    private async ValueTask<ModbusResult> AttemptAsync(byte unit, ModbusRequest request, Memory<ushort> registers, Memory<bool> bits, CancellationToken cancellationToken)
    {
        var openError = await _link.EnsureOpenAsync(cancellationToken);
        if (openError is not null)
        {
            return ModbusResult.Fail(ExchangeStatus.ConnectionFailed, openError);
        }

        var channel = _link.Channel;
        await _link.WaitForSilenceAsync(cancellationToken);
        ushort transactionId = 0;
        int length;
        if (_framing == ModbusFraming.Tcp)
        {
            transactionId = unchecked(++_transactionId);
            length = ModbusTcp.WriteRequest(_tx, transactionId, unit, request);
        }
        else
        {
            // Whatever is waiting now is a late or unsolicited reply: it cannot answer this request.
            channel.DiscardInput();
            _rx.Clear();
            length = ModbusRtu.WriteRequest(_tx, unit, request);
        }

        var time = _link.Time;
        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(_options.ResponseTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await channel.WriteAsync(_tx.AsMemory(0, length), linked.Token);
            if (unit == ModbusLimits.BroadcastUnit)
            {
                return ModbusResult.Ok;
            }

            while (true)
            {
                var parsed = _framing == ModbusFraming.Tcp
                    ? ParseTcp(transactionId, request, registers.Span, bits.Span, out var result)
                    : ParseRtu(unit, request, registers.Span, bits.Span, out result);
                if (parsed)
                {
                    _counters.Latency(time.GetElapsedTime(started));
                    return result;
                }

                if (await _rx.FillAsync(channel, linked.Token) == 0)
                {
                    _link.Broken();
                    _rx.Clear();
                    return ModbusResult.Fail(ExchangeStatus.ConnectionFailed, $"{channel.Description}: connection closed by the peer");
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ModbusResult.Fail(ExchangeStatus.Timeout, $"unit {unit} did not answer {request.Function} within {_options.ResponseTimeout.TotalMilliseconds:0} ms");
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            _link.Broken();
            _rx.Clear();
            return ModbusResult.Fail(ExchangeStatus.ConnectionFailed, ex.Message);
        }
        finally
        {
            _link.MarkActivity();
        }
    }

    /// <summary>Consumes MBAP frames; those with another transaction id are late replies and are dropped.</summary>
    private bool ParseTcp(ushort transactionId, in ModbusRequest request, Span<ushort> registers, Span<bool> bits, out ModbusResult result)
    {
        while (true)
        {
            var decoded = ModbusTcp.Decode(_rx.Span, out var frame);
            if (decoded.Status == DecodeStatus.NeedMoreData)
            {
                result = default;
                return false;
            }

            if (decoded.Status == DecodeStatus.Invalid)
            {
                // MBAP cannot resynchronise: the stream is out of step. Start a fresh connection.
                _link.Broken();
                _rx.Clear();
                result = ModbusResult.Fail(ExchangeStatus.InvalidFrame, decoded.Reason);
                return true;
            }

            if (frame.TransactionId != transactionId)
            {
                _counters.Discarded();
                _rx.Consume(decoded.Consumed);
                continue;
            }

            result = Interpret(frame.Pdu, request, registers, bits, out _);
            _rx.Consume(decoded.Consumed);
            return true;
        }
    }

    /// <summary>
    /// Consumes RTU bytes: frames from other units or for other functions are dropped, garbage is skipped a
    /// byte at a time, and a frame whose bogus length would stall the reader is overtaken by a later good one.
    /// </summary>
    private bool ParseRtu(byte unit, in ModbusRequest request, Span<ushort> registers, Span<bool> bits, out ModbusResult result)
    {
        var function = (byte)request.Function;
        while (true)
        {
            var span = _rx.Span;
            var decoded = ModbusRtu.Decode(span, ModbusFrameDirection.Response, out var frame);
            switch (decoded.Status)
            {
                case DecodeStatus.Done:
                    if (frame.Unit == unit && (frame.Pdu[0] & 0x7F) == function)
                    {
                        result = Interpret(frame.Pdu, request, registers, bits, out var stale);
                        _rx.Consume(decoded.Consumed);
                        if (!stale)
                        {
                            return true;
                        }
                    }
                    else
                    {
                        _rx.Consume(decoded.Consumed);
                    }

                    _counters.Discarded();
                    continue;

                case DecodeStatus.Invalid:
                    if (decoded.Error == FrameError.BadCrc && span[0] == unit && (span[1] & 0x7F) == function)
                    {
                        _rx.Clear();
                        result = ModbusResult.Fail(ExchangeStatus.BadChecksum, $"reply from unit {unit} to {request.Function} failed its CRC");
                        return true;
                    }

                    _rx.Consume(decoded.Consumed);
                    continue;

                default:
                    var offset = ModbusRtu.FindFrame(span, ModbusFrameDirection.Response, unit);
                    if (offset > 0)
                    {
                        _rx.Consume(offset);
                        continue;
                    }

                    result = default;
                    return false;
            }
        }
    }

    /// <summary>Turns a reply PDU into a result; <paramref name="stale"/> is set when it answers some other request.</summary>
    private static ModbusResult Interpret(ReadOnlySpan<byte> pdu, in ModbusRequest request, Span<ushort> registers, Span<bool> bits, out bool stale)
    {
        stale = false;
        var decoded = ModbusPdu.DecodeResponse(pdu, out var response);
        if (!decoded.IsDone)
        {
            return ModbusResult.Fail(ExchangeStatus.InvalidFrame, decoded.Reason);
        }

        var mismatch = ModbusPdu.Match(response, request);
        if (mismatch != FrameError.None)
        {
            stale = true;
            return ModbusResult.Fail(ExchangeStatus.InvalidFrame, FrameErrors.Describe(mismatch));
        }

        if (response.IsException)
        {
            return new ModbusResult(ExchangeStatus.DeviceError, response.ExceptionCode, null);
        }

        switch (request.Function)
        {
            case ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters:
                response.CopyRegisters(registers[..request.Quantity]);
                break;
            case ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs:
                response.CopyBits(bits[..request.Quantity]);
                break;
            default:
                break;
        }

        return ModbusResult.Ok;
    }
}
