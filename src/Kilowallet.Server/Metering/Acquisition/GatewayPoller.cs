using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
using Kilowallet.Domain;
using Kilowallet.Domain.Safety;
using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;
using Kilowallet.Protocols.Transport;
using Kilowallet.Server.Metrics;

namespace Kilowallet.Server.Metering.Acquisition;

/// <summary>
/// Reads the meters behind one gateway: one request in flight on its bus, energy of every meter
/// every interval (with a random phase per meter, so thousands of meters do not poll in lockstep),
/// live values of watched meters every few seconds, and relay commands pushed ahead of any poll.
/// Its own error boundary: a dead gateway or meter never stops the loop. Tracks each meter's and
/// the gateway's link health.
/// </summary>
public sealed class GatewayPoller : IAsyncDisposable
{
    private readonly GatewayInfo _gateway;
    private readonly IReadOnlyList<MeterContext> _meters;
    private readonly AcquisitionOptions _options;
    private readonly SampleSink _sink;
    private readonly LiveStateStore _live;
    private readonly KilowalletMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly MeterReader _reader = new(TimeProvider.System);
    private readonly Channel<PendingCommand> _commands = Channel.CreateUnbounded<PendingCommand>();
    private readonly Dictionary<MeterId, DateTimeOffset> _nextEnergy = [];
    private readonly Dictionary<MeterId, DateTimeOffset> _nextLive = [];
    private readonly Dictionary<MeterId, LinkHealth> _health = [];
    private readonly LinkSettings _linkSettings;
    private LinkHealth _gatewayHealth;
    private ModbusMaster? _modbus;
    private Dlt645Master? _dlt645;

    public GatewayPoller(GatewayInfo gateway, IReadOnlyList<MeterContext> meters, AcquisitionOptions options, SampleSink sink, LiveStateStore live, KilowalletMetrics metrics, TimeProvider clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _gateway = gateway;
        _meters = meters;
        _options = options;
        _sink = sink;
        _live = live;
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
        _linkSettings = new LinkSettings { FailuresToOffline = options.FailuresToOffline, SuccessesToOnline = options.SuccessesToOnline, SilenceToOffline = TimeSpan.FromSeconds(options.EnergyIntervalSeconds * (options.FailuresToOffline + 1)) };
        var now = clock.GetUtcNow();
        _gatewayHealth = LinkHealth.Start(now);
        var interval = TimeSpan.FromSeconds(options.EnergyIntervalSeconds);
        foreach (var meter in meters)
        {
            // A random phase within the interval: meters of a large mall spread their polls evenly.
            _nextEnergy[meter.Id] = now + TimeSpan.FromTicks((long)(interval.Ticks * (RandomNumberGenerator.GetInt32(1_000) / 1_000.0)));
            _health[meter.Id] = LinkHealth.Start(now);
        }
    }

    public GatewayInfo Gateway => _gateway;

    public IReadOnlyList<MeterContext> Meters => _meters;

    /// <summary>The gateway's link: offline when every recent poll through it failed.</summary>
    public LinkStatus Status => _gatewayHealth.Status;

    public WireStatistics? Statistics => _modbus?.Statistics ?? _dlt645?.Statistics;

    /// <summary>Runs a relay command on the bus ahead of any waiting poll; the result includes the relay state read back.</summary>
    public async Task<RelayCommandResult> CommandAsync(MeterContext meter, RelayAction action, CancellationToken cancellationToken)
    {
        var pending = new PendingCommand(meter, action, null, new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _commands.Writer.WriteAsync(pending, cancellationToken);
        return (RelayCommandResult)await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Reads a meter now, ahead of the schedule (commissioning test reads, relay verification).</summary>
    public async Task<MeterSnapshot> ReadNowAsync(MeterContext meter, CancellationToken cancellationToken)
    {
        var pending = new PendingCommand(meter, null, true, new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _commands.Writer.WriteAsync(pending, cancellationToken);
        return (MeterSnapshot)await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Reads a meter that is not (yet) polled here, on this bus between polls, and records nothing:
    /// a commissioning test read of a meter definition before it is saved, or of an inactive meter.
    /// </summary>
    public async Task<MeterSnapshot> ProbeAsync(MeterContext meter, CancellationToken cancellationToken)
    {
        var pending = new PendingCommand(meter, null, false, new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _commands.Writer.WriteAsync(pending, cancellationToken);
        return (MeterSnapshot)await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            CreateMaster();
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    if (_commands.Reader.TryRead(out var command))
                    {
                        await ExecuteAsync(command, cancellationToken);
                        continue;
                    }

                    var (meter, due, live) = NextDue();
                    var now = _clock.GetUtcNow();
                    if (meter is null || due > now)
                    {
                        var wait = meter is null ? TimeSpan.FromSeconds(_options.EnergyIntervalSeconds) : due - now;
                        await WaitForWorkAsync(wait, cancellationToken);
                        continue;
                    }

                    await PollAsync(meter, live, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // The error boundary of one gateway: whatever a device does, the loop goes on.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    _logger.LogError(ex, "Gateway {Gateway}: unexpected error in the poll loop; continuing", _gateway.Name);
                    await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken);
                }
            }
        }
        finally
        {
            _commands.Writer.TryComplete();
            while (_commands.Reader.TryRead(out var left))
            {
                left.Completion.TrySetCanceled(cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_modbus is not null)
        {
            await _modbus.DisposeAsync();
        }

        if (_dlt645 is not null)
        {
            await _dlt645.DisposeAsync();
        }
    }

    private void CreateMaster()
    {
        var link = new MasterOptions
        {
            ResponseTimeout = TimeSpan.FromMilliseconds(Math.Max(50, _gateway.TimeoutMs)),
            Retries = _options.Retries,
            TimeProvider = TimeProvider.System,
        };
        var bus = BusLink.Open(_gateway, link);
        _modbus = bus.Modbus;
        _dlt645 = bus.Dlt645;
    }

    private (MeterContext? Meter, DateTimeOffset Due, bool Live) NextDue()
    {
        MeterContext? best = null;
        var due = DateTimeOffset.MaxValue;
        var live = false;
        foreach (var meter in _meters)
        {
            if (_nextEnergy[meter.Id] < due)
            {
                (best, due, live) = (meter, _nextEnergy[meter.Id], false);
            }

            if (_live.IsWatched(meter.Id))
            {
                var next = _nextLive.GetValueOrDefault(meter.Id, DateTimeOffset.MinValue);
                if (next < due)
                {
                    (best, due, live) = (meter, next, true);
                }
            }
        }

        return (best, due, live);
    }

    private async Task WaitForWorkAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        try
        {
            // Wake for a command at once; otherwise when the next poll is due (server time: a simulated clock runs it faster).
            await Task.WhenAny(_commands.Reader.WaitToReadAsync(timeout.Token).AsTask(), Task.Delay(wait, _clock, timeout.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(MeterContext meter, bool live, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(live ? _options.LiveIntervalSeconds : _options.EnergyIntervalSeconds);
        if (live)
        {
            _nextLive[meter.Id] = _clock.GetUtcNow() + interval;
        }
        else
        {
            _nextEnergy[meter.Id] += interval;
            if (_nextEnergy[meter.Id] < _clock.GetUtcNow())
            {
                // Fell behind (a slow bus, a paused process): catch up from now rather than firing a burst.
                _nextEnergy[meter.Id] = _clock.GetUtcNow() + interval;
            }
        }

        var snapshot = await ReadAsync(meter, cancellationToken);
        await RecordAsync(meter, snapshot, energy: !live, cancellationToken);
    }

    private async Task<MeterSnapshot> ReadAsync(MeterContext meter, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        MeterSnapshot snapshot;
        if (_modbus is not null)
        {
            snapshot = await _reader.ReadAsync(_modbus, checked((byte)meter.UnitId!.Value), meter.Profile, cancellationToken);
        }
        else
        {
            snapshot = await _reader.ReadAsync(_dlt645!, Dlt645Address.Parse(meter.Dlt645Address!), meter.Profile, cancellationToken);
        }

        var labels = string.Create(CultureInfo.InvariantCulture, $"gateway=\"{_gateway.Name}\"");
        _metrics.Set("kilowallet_poll_latency_seconds", TimeProvider.System.GetElapsedTime(started).TotalSeconds, labels, "Duration of the last poll of a meter, per gateway.");
        _metrics.Count("kilowallet_polls_total", 1, labels + (snapshot.LinkFailure is null ? ",result=\"ok\"" : ",result=\"failed\""), "Meter polls per gateway and result.");
        return snapshot;
    }

    private async Task RecordAsync(MeterContext meter, MeterSnapshot snapshot, bool energy, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (snapshot.LinkFailure is { } failure)
        {
            var update = _health[meter.Id].Failed(now, _linkSettings);
            _health[meter.Id] = update.Health;
            var gateway = _gatewayHealth.Failed(now, _linkSettings);
            _gatewayHealth = gateway.Health;
            _live.SetLink(meter.Id, update.Health.Status, null, snapshot.LinkFailureDetail ?? failure.ToString());
            if (update.Change == LinkChange.WentOffline)
            {
                _logger.LogWarning("Meter {Serial} on {Gateway} went offline: {Failure}", meter.Serial, _gateway.Name, snapshot.LinkFailureDetail ?? failure.ToString());
            }

            return;
        }

        _health[meter.Id] = _health[meter.Id].Succeeded(now, _linkSettings).Health;
        _gatewayHealth = _gatewayHealth.Succeeded(now, _linkSettings).Health;
        var sample = SnapshotConversion.ToSample(meter.Id, snapshot, now, SampleSource.Poll, energy);
        if (energy && sample.EnergyWh is null)
        {
            _logger.LogWarning("Meter {Serial}: the energy register could not be read ({Errors}); live values kept", meter.Serial, string.Join("; ", snapshot.Errors));
        }

        await _sink.AcceptAsync(sample, cancellationToken);
    }

    private async Task ExecuteAsync(PendingCommand command, CancellationToken cancellationToken)
    {
        try
        {
            if (command.Action is { } action)
            {
                var result = _modbus is not null
                    ? await RelayCommander.ExecuteAsync(_modbus, checked((byte)command.Meter.UnitId!.Value), command.Meter.Profile, action, cancellationToken)
                    : await RelayCommander.ExecuteAsync(_dlt645!, Dlt645Address.Parse(command.Meter.Dlt645Address!), command.Meter.Profile, action, null, cancellationToken);
                if (result.IsSuccess && result.ReadBack != RelayState.Unknown)
                {
                    _live.Observe(new MeterSample(command.Meter.Id, _clock.GetUtcNow(), SampleSource.Poll, null, null, _live.Get(command.Meter.Id).Live, SnapshotConversion.ToRelay(result.ReadBack), _live.Get(command.Meter.Id).AlarmFlags));
                }

                command.Completion.TrySetResult(result);
            }
            else
            {
                var snapshot = await ReadAsync(command.Meter, cancellationToken);
                if (command.Read == true)
                {
                    await RecordAsync(command.Meter, snapshot, energy: false, cancellationToken);
                }

                command.Completion.TrySetResult(snapshot);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            command.Completion.TrySetCanceled(cancellationToken);
            throw;
        }
#pragma warning disable CA1031 // A command's failure belongs to its caller, not to the poll loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            command.Completion.TrySetException(ex);
        }
    }

    private sealed record PendingCommand(MeterContext Meter, RelayAction? Action, bool? Read, TaskCompletionSource<object> Completion);
}
