using System.Collections.Concurrent;
using Kilowallet.Domain;
using Kilowallet.Domain.Safety;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;
using Kilowallet.Protocols.Transport;
using Kilowallet.Server.Metering.Mqtt;
using Kilowallet.Server.Metrics;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Metering.Acquisition;

/// <summary>
/// Runs one <see cref="GatewayPoller"/> per polled gateway (all buses in parallel, one request in
/// flight on each), keeps them in step with the configuration (a gateway or its meters changed →
/// its poller restarts), and routes relay commands and test reads to the right bus or to MQTT.
/// </summary>
public sealed class AcquisitionService(
    IDbContextFactory<KilowalletDb> dbFactory,
    MeterDirectory directory,
    IOptions<AcquisitionOptions> options,
    SampleSink sink,
    LiveStateStore live,
    MqttIngestion mqtt,
    KilowalletMetrics metrics,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService
{
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(30);

    private readonly ILogger _logger = loggers.CreateLogger<AcquisitionService>();
    // Read by API requests (relay commands, test reads) while a reload replaces pollers.
    private readonly ConcurrentDictionary<GatewayId, Running> _running = new();
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _stopping;

    /// <summary>Completes once the pollers of the configured gateways have started.</summary>
    public Task Started => _started.Task;

    /// <summary>Link status of each polled gateway.</summary>
    public IReadOnlyDictionary<GatewayId, LinkStatus> GatewayStatus =>
        _running.ToDictionary(r => r.Key, r => r.Value.Poller.Status);

    public IReadOnlyDictionary<GatewayId, WireStatistics?> GatewayStatistics =>
        _running.ToDictionary(r => r.Key, r => r.Value.Poller.Statistics);

    /// <summary>Sends a relay command to a meter on its bus (ahead of polls) or over MQTT; the result carries the state read back.</summary>
    public async Task<RelayCommandResult> RelayAsync(MeterContext meter, RelayAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meter);
        if (meter.MqttClientId is not null || meter.Gateway is null)
        {
            return await mqtt.CommandAsync(meter, action, cancellationToken);
        }

        return PollerOf(meter) is { } poller
            ? await poller.CommandAsync(meter, action, cancellationToken)
            : new RelayCommandResult(ExchangeStatus.ConnectionFailed, RelayState.Unknown, "the meter's gateway is not being polled");
    }

    /// <summary>Reads a meter now (commissioning); null when its gateway is not polled.</summary>
    public async Task<MeterSnapshot?> ReadNowAsync(MeterContext meter, CancellationToken cancellationToken) =>
        PollerOf(meter) is { } poller ? await poller.ReadNowAsync(meter, cancellationToken) : null;

    /// <summary>
    /// A commissioning test read of <paramref name="meter"/> (saved or not) behind <paramref name="gateway"/>:
    /// queued on the gateway's poller when it runs (one request in flight per bus; a polled meter's
    /// live values are recorded as by any poll), otherwise over a short-lived connection of its own,
    /// so a gateway can be checked before any of its meters is saved or while it is disabled.
    /// </summary>
    public async Task<TestReading> TestReadAsync(GatewayInfo gateway, MeterContext meter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(meter);
        if (PollerOf(meter) is { } poller && poller.Gateway == gateway)
        {
            return TestReading.From(meter.Profile, await poller.ReadNowAsync(meter, cancellationToken), TestReading.ThroughPoller);
        }

        if (_running.TryGetValue(gateway.Id, out var running) && running.Poller.Gateway == gateway)
        {
            return TestReading.From(meter.Profile, await running.Poller.ProbeAsync(meter, cancellationToken), TestReading.ThroughPoller);
        }

        var link = new MasterOptions
        {
            ResponseTimeout = TimeSpan.FromMilliseconds(Math.Max(50, gateway.TimeoutMs)),
            Retries = options.Value.Retries,
            TimeProvider = TimeProvider.System,
        };
        await using var bus = BusLink.Open(gateway, link);
        var snapshot = await bus.ReadAsync(new MeterReader(TimeProvider.System), meter.Profile, meter.UnitId, meter.Dlt645Address, cancellationToken);
        return TestReading.From(meter.Profile, snapshot, TestReading.Direct);
    }

    /// <summary>Re-reads gateways and meters and restarts the pollers whose configuration changed.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        directory.Invalidate();
        if (!options.Value.Enabled)
        {
            return;
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            directory.Invalidate();
            var meters = (await directory.AllAsync(cancellationToken))
                .Where(m => m.Status == MeterStatus.Active && m.Gateway is not null && m.MqttClientId is null)
                .ToLookup(m => m.Gateway!.Value);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var gateways = await db.Gateways.AsNoTracking()
                .Where(g => g.Enabled && g.Transport != GatewayTransport.Mqtt)
                .Select(g => new GatewayInfo(g.Id, g.Name, g.Transport, g.Host, g.Port, g.SerialDevice, g.BaudRate, g.Parity, g.TimeoutMs))
                .ToListAsync(cancellationToken);
            var wanted = gateways.Where(g => meters[g.Id].Any() && Reachable(g)).ToDictionary(g => g.Id);
            foreach (var (id, running) in _running.ToList())
            {
                if (!wanted.TryGetValue(id, out var info) || info != running.Poller.Gateway || !SameMeters(running.Poller.Meters, meters[id]))
                {
                    await StopAsync(running);
                    _running.TryRemove(id, out _);
                }
            }

            foreach (var (id, info) in wanted)
            {
                if (!_running.ContainsKey(id))
                {
                    var poller = new GatewayPoller(info, [.. meters[id]], options.Value, sink, live, metrics, clock, loggers.CreateLogger<GatewayPoller>());
                    var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
                    _running[id] = new Running(poller, cancel, Task.Run(() => poller.RunAsync(cancel.Token), CancellationToken.None));
                }
            }
        }
        finally
        {
            _reload.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        if (!options.Value.Enabled)
        {
            _started.TrySetResult();
            return;
        }

        metrics.Gauge("kilowallet_gateways_polled", () => _running.Count, "Gateways with a running poller.");
        try
        {
            using var timer = new PeriodicTimer(ReloadInterval, TimeProvider.System);
            do
            {
                try
                {
                    await ReloadAsync(stoppingToken);
                    _started.TrySetResult();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogError(ex, "Reloading the acquisition configuration failed; retrying");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var running in _running.Values)
            {
                await StopAsync(running);
            }

            _running.Clear();
        }
    }

    public override void Dispose()
    {
        _reload.Dispose();
        base.Dispose();
    }

    private GatewayPoller? PollerOf(MeterContext meter) =>
        meter.Gateway is { } gateway && _running.TryGetValue(gateway, out var running) && running.Poller.Meters.Any(m => m.Id == meter.Id)
            ? running.Poller
            : null;

    private static bool Reachable(GatewayInfo gateway) => gateway.Transport switch
    {
        GatewayTransport.ModbusTcp or GatewayTransport.RtuOverTcp or GatewayTransport.Dlt645Tcp => gateway.Host is not null && gateway.Port is > 0,
        GatewayTransport.RtuSerial or GatewayTransport.Dlt645Serial => gateway.SerialDevice is not null,
        _ => false,
    };

    private static bool SameMeters(IReadOnlyList<MeterContext> running, IEnumerable<MeterContext> wanted) =>
        running.Select(m => m).OrderBy(m => m.Id.Value).SequenceEqual(wanted.OrderBy(m => m.Id.Value));

    private static async Task StopAsync(Running running)
    {
        await running.Cancel.CancelAsync();
        try
        {
            await running.Loop;
        }
        catch (OperationCanceledException)
        {
        }

        await running.Poller.DisposeAsync();
        running.Cancel.Dispose();
    }

    private sealed record Running(GatewayPoller Poller, CancellationTokenSource Cancel, Task Loop);
}
