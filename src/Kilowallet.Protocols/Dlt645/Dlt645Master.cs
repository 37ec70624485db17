using Kilowallet.Protocols.Codec;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Dlt645;

/// <summary>
/// A DL/T 645-2007 master on one bus (serial port, or a serial server over TCP). One request in flight at a
/// time, finite timeout per attempt, retries, reconnect with backoff; meter-level problems come back as
/// <see cref="Dlt645Result{T}"/> values, never exceptions.
/// </summary>
public sealed class Dlt645Master : IAsyncDisposable
{
    private readonly Dlt645MasterOptions _options;
    private readonly ChannelLink _link;
    private readonly WireCounters _counters = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ReceiveBuffer _rx = new(1024);
    private readonly byte[] _tx = new byte[Dlt645Codec.MaxFrameLength];
    private bool _disposed;

    public Dlt645Master(IByteChannel channel, Dlt645MasterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _options = options ?? new Dlt645MasterOptions();
        _options.Link.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.WakeUpBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.WakeUpBytes, 4, nameof(options));
        _link = new ChannelLink(channel, _options.Link, _counters);
    }

    public string Description => $"dlt645 {_link.Channel.Description}";

    public WireStatistics Statistics => _counters.Snapshot();

    /// <summary>Through a serial server or DTU in transparent mode.</summary>
    public static Dlt645Master CreateTcp(string host, int port, Dlt645MasterOptions? options = null)
    {
        options ??= new Dlt645MasterOptions();
        return new Dlt645Master(new TcpByteChannel(host, port, options.Link.ConnectTimeout), options);
    }

    /// <summary>On a local serial port; DL/T 645 is 8E1, commonly 2400 baud.</summary>
    public static Dlt645Master CreateSerial(SerialSettings settings, Dlt645MasterOptions? options = null) =>
        new(new SerialByteChannel(settings), options);

    /// <summary>Reads a data item; the value bytes (plain, after the DI), with follow-up frames appended.</summary>
    public async ValueTask<Dlt645Result<byte[]>> ReadRawAsync(Dlt645Address address, Dlt645DataIdentifier identifier, CancellationToken cancellationToken)
    {
        var first = await ExchangeAsync(Dlt645Frames.ReadData(_tx, address, identifier, _options.WakeUpBytes), address, Dlt645Control.ReadData, cancellationToken);
        if (!first.IsSuccess)
        {
            return first.As<byte[]>();
        }

        var data = first.Value!.Data;
        if (data.Length < 4 || Dlt645DataIdentifier.Read(data) != identifier)
        {
            return Fail<byte[]>(ExchangeStatus.InvalidFrame, $"reply carries data identifier {(data.Length < 4 ? "(none)" : Dlt645DataIdentifier.Read(data).ToString())}, not {identifier}");
        }

        var value = new List<byte>(data[4..]);
        var more = first.Value.FollowUp;
        for (byte sequence = 1; more; sequence++)
        {
            if (sequence > _options.MaxFollowUps)
            {
                return Fail<byte[]>(ExchangeStatus.InvalidFrame, $"more than {_options.MaxFollowUps} follow-up frames");
            }

            var next = await ExchangeAsync(Dlt645Frames.ReadFollowUp(_tx, address, identifier, sequence, _options.WakeUpBytes), address, Dlt645Control.ReadFollowUp, cancellationToken);
            if (!next.IsSuccess)
            {
                return next.As<byte[]>();
            }

            var part = next.Value!.Data;
            if (part.Length < 5)
            {
                return Fail<byte[]>(ExchangeStatus.InvalidFrame, "follow-up frame too short");
            }

            value.AddRange(part[4..^1]);
            more = next.Value.FollowUp;
        }

        return new Dlt645Result<byte[]>(ExchangeStatus.Success, [.. value], Dlt645Errors.None, null);
    }

    /// <summary>Reads a data item and decodes it in <paramref name="format"/> (default: the identifier's known format).</summary>
    public async ValueTask<Dlt645Result<decimal>> ReadValueAsync(Dlt645Address address, Dlt645DataIdentifier identifier, Dlt645DataFormat? format, CancellationToken cancellationToken)
    {
        var useFormat = format ?? identifier.KnownFormat
            ?? throw new ArgumentException($"No known format for {identifier}; pass one.", nameof(format));
        var raw = await ReadRawAsync(address, identifier, cancellationToken);
        if (!raw.IsSuccess)
        {
            return raw.As<decimal>();
        }

        return Dlt645Bcd.TryDecode(raw.Value, useFormat, out var value)
            ? new Dlt645Result<decimal>(ExchangeStatus.Success, value, Dlt645Errors.None, null)
            : Fail<decimal>(ExchangeStatus.InvalidFrame, $"{identifier}: value is not valid BCD");
    }

    /// <summary>Reads an energy block (e.g. 0001FF00): total then each tariff, XXXXXX.XX kWh each.</summary>
    public async ValueTask<Dlt645Result<decimal[]>> ReadEnergyBlockAsync(Dlt645Address address, Dlt645DataIdentifier identifier, CancellationToken cancellationToken)
    {
        var raw = await ReadRawAsync(address, identifier, cancellationToken);
        if (!raw.IsSuccess)
        {
            return raw.As<decimal[]>();
        }

        var bytes = raw.Value!;
        if (bytes.Length == 0 || bytes.Length % 4 != 0)
        {
            return Fail<decimal[]>(ExchangeStatus.InvalidFrame, $"{identifier}: block of {bytes.Length} bytes is not a whole number of 4-byte values");
        }

        var values = new decimal[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            if (!Dlt645Bcd.TryDecode(bytes.AsSpan(4 * i, 4), Dlt645DataFormat.Energy, out values[i]))
            {
                return Fail<decimal[]>(ExchangeStatus.InvalidFrame, $"{identifier}: value {i} is not valid BCD");
            }
        }

        return new Dlt645Result<decimal[]>(ExchangeStatus.Success, values, Dlt645Errors.None, null);
    }

    /// <summary>Asks the only meter on the bus for its address (C = 13 to AA×6).</summary>
    public async ValueTask<Dlt645Result<Dlt645Address>> ReadAddressAsync(CancellationToken cancellationToken)
    {
        var reply = await ExchangeAsync(Dlt645Frames.ReadAddress(_tx, _options.WakeUpBytes), Dlt645Address.Wildcard, Dlt645Control.ReadAddress, cancellationToken);
        if (!reply.IsSuccess)
        {
            return reply.As<Dlt645Address>();
        }

        var data = reply.Value!.Data;
        return data.Length == 6
            ? new Dlt645Result<Dlt645Address>(ExchangeStatus.Success, Dlt645Address.FromWire(data), Dlt645Errors.None, null)
            : Fail<Dlt645Address>(ExchangeStatus.InvalidFrame, "address reply is not 6 bytes");
    }

    /// <summary>Broadcasts the time (C = 08 to 99×6). Meters do not reply; success means it was sent.</summary>
    public async ValueTask<Dlt645Result<bool>> BroadcastTimeSyncAsync(DateTime localTime, CancellationToken cancellationToken)
    {
        var length = Dlt645Frames.BroadcastTimeSync(_tx, localTime, _options.WakeUpBytes);
        var sent = await ExchangeAsync(length, Dlt645Address.Broadcast, Dlt645Control.BroadcastTimeSync, cancellationToken, expectReply: false);
        return sent.As(sent.IsSuccess);
    }

    /// <summary>Relay and alarm control (C = 1C) with the configured password and operator code.</summary>
    public async ValueTask<Dlt645Result<bool>> RelayControlAsync(Dlt645Address address, Dlt645RelayCommand command, DateTime? validUntil, CancellationToken cancellationToken)
    {
        var control = new Dlt645RelayControl(_options.Password, _options.OperatorCode, command, validUntil);
        var reply = await ExchangeAsync(Dlt645Frames.RelayControl(_tx, address, control, _options.WakeUpBytes), address, Dlt645Control.RelayControl, cancellationToken);
        return reply.As(reply.IsSuccess);
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

    private static Dlt645Result<T> Fail<T>(ExchangeStatus status, string detail) => new(status, default, Dlt645Errors.None, detail);

    /// <summary>Sends the frame already in the transmit buffer and waits for the matching reply, with retries.</summary>
    private async ValueTask<Dlt645Result<Dlt645Reply>> ExchangeAsync(int length, Dlt645Address address, byte function, CancellationToken cancellationToken, bool expectReply = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var frame = _tx.AsMemory(0, length).ToArray();
            var result = default(Dlt645Result<Dlt645Reply>);
            for (var attempt = 0; attempt <= _options.Link.Retries; attempt++)
            {
                _counters.Request();
                result = await AttemptAsync(frame, address, function, expectReply, cancellationToken);
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

    private async ValueTask<Dlt645Result<Dlt645Reply>> AttemptAsync(byte[] frame, Dlt645Address address, byte function, bool expectReply, CancellationToken cancellationToken)
    {
        var openError = await _link.EnsureOpenAsync(cancellationToken);
        if (openError is not null)
        {
            return Fail<Dlt645Reply>(ExchangeStatus.ConnectionFailed, openError);
        }

        var channel = _link.Channel;
        await _link.WaitForSilenceAsync(cancellationToken);
        channel.DiscardInput();
        _rx.Clear();
        var time = _link.Time;
        var started = time.GetTimestamp();
        var timeoutAfter = _options.Link.ResponseTimeout;
        using var timeout = new CancellationTokenSource(timeoutAfter, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await channel.WriteAsync(frame, linked.Token);
            if (!expectReply)
            {
                return new Dlt645Result<Dlt645Reply>(ExchangeStatus.Success, null, Dlt645Errors.None, null);
            }

            while (true)
            {
                if (TryParse(address, function, out var result))
                {
                    _counters.Latency(time.GetElapsedTime(started));
                    return result;
                }

                if (await _rx.FillAsync(channel, linked.Token) == 0)
                {
                    _link.Broken();
                    return Fail<Dlt645Reply>(ExchangeStatus.ConnectionFailed, $"{channel.Description}: connection closed by the peer");
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Fail<Dlt645Reply>(ExchangeStatus.Timeout, $"meter {address} did not answer within {timeoutAfter.TotalMilliseconds:0} ms");
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            _link.Broken();
            return Fail<Dlt645Reply>(ExchangeStatus.ConnectionFailed, ex.Message);
        }
        finally
        {
            _link.MarkActivity();
        }
    }

    private bool TryParse(Dlt645Address address, byte function, out Dlt645Result<Dlt645Reply> result)
    {
        while (true)
        {
            var span = _rx.Span;
            var decoded = Dlt645Codec.Decode(span, out var frame);
            switch (decoded.Status)
            {
                case DecodeStatus.Done:
                    var ours = frame.IsReply && frame.Function == function && (address.IsWildcard || frame.Address == address);
                    if (!ours)
                    {
                        _counters.Discarded();
                        _rx.Consume(decoded.Consumed);
                        continue;
                    }

                    var data = new byte[frame.DataLength];
                    frame.CopyData(data);
                    _rx.Consume(decoded.Consumed);
                    if (frame.IsAbnormal)
                    {
                        result = new Dlt645Result<Dlt645Reply>(ExchangeStatus.DeviceError, null, data.Length > 0 ? (Dlt645Errors)data[0] : Dlt645Errors.Other, null);
                        return true;
                    }

                    result = new Dlt645Result<Dlt645Reply>(ExchangeStatus.Success, new Dlt645Reply(frame.Address, data, frame.HasFollowUp), Dlt645Errors.None, null);
                    return true;

                case DecodeStatus.Invalid:
                    if (decoded.Error == FrameError.BadChecksum && LooksLikeReplyTo(span, function))
                    {
                        _rx.Clear();
                        result = Fail<Dlt645Reply>(ExchangeStatus.BadChecksum, $"reply from meter {address} failed its checksum");
                        return true;
                    }

                    _rx.Consume(decoded.Consumed);
                    continue;

                default:
                    var offset = Dlt645Codec.FindFrame(span);
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

    private static bool LooksLikeReplyTo(ReadOnlySpan<byte> span, byte function)
    {
        var start = span.IndexOfAnyExcept(Dlt645Codec.WakeUp);
        return start >= 0 && span.Length - start > 9 && (span[start + 8] & Dlt645Control.FunctionMask) == function && (span[start + 8] & Dlt645Control.ReplyFlag) != 0;
    }
}
