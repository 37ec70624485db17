using System.Collections.Concurrent;
using Kilowallet.Domain;
using Kilowallet.Domain.Control;
using Kilowallet.Domain.Safety;
using Kilowallet.Server.Alarms;
using Kilowallet.Server.Control;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Safety;

/// <summary>
/// Safety detection from live values: reads every sample of <see cref="SampleSink.SafetyReader"/> and feeds
/// each meter's detectors — overload (trip, automatic reclose, lockout), over/under voltage and phase loss,
/// resistive high-power appliances (trip where the shop forbids them), relay integrity (current with the
/// relay open). Alarm signals go to <see cref="AlarmService"/>; a changed safety hold is stored and wakes the
/// control loop, which cuts or restores the supply. It also keeps the meter and gateway offline alarms in
/// line with the link states (a dead gateway is one alarm, not one per meter behind it).
/// </summary>
public sealed class SafetyMonitor(
    SampleSink sink,
    MeterDirectory directory,
    LiveStateStore live,
    AcquisitionService acquisition,
    AlarmService alarms,
    RelayCommandService relays,
    SafetyHoldRegistry holds,
    ControlWake wake,
    StorageConnections connections,
    IDbContextFactory<KilowalletDb> dbFactory,
    IOptions<SafetyOptions> options,
    TimeProvider clock,
    ILogger<SafetyMonitor> logger) : BackgroundService
{
    private const int MaxSamplesPerRound = 5_000;
    private static readonly TimeSpan ShopCacheAge = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<MeterId, MeterSafety> _meters = new();
    private readonly SemaphoreSlim _apply = new(1, 1);
    private (DateTimeOffset LoadedAt, Dictionary<ShopId, bool> AllowHighPower)? _shops;
    private DateTimeOffset _startedAt;
    private DateTimeOffset? _lastOfflineCheck;

    /// <summary>
    /// An operator resets a meter's safety trip or lockout (after dealing with the cause): the detectors start
    /// afresh, their alarms clear, and the control loop restores supply if nothing else keeps it cut.
    /// Returns the hold that was in force.
    /// </summary>
    public async Task<SafetyHold> ResetAsync(MeterId meter, string operatorId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        var now = clock.GetUtcNow();
        var state = StateOf(meter);
        SafetyHold before;
        SafetyHold after;
        var signals = new List<AlarmSignal>();
        lock (state.Gate)
        {
            before = state.Hold;
            var overload = state.Overload.OperatorReset(now, operatorId);
            var malicious = state.Malicious.OperatorReset(now, operatorId);
            state.Overload = overload.State;
            state.Malicious = malicious.State;
            state.Restored = SafetyHold.None;
            signals.AddRange(overload.Signals);
            signals.AddRange(malicious.Signals);
            after = state.Hold;
        }

        await ApplyAsync(signals, new Dictionary<MeterId, SafetyHold> { [meter] = after }, cancellationToken);
        return before;
    }

    public override void Dispose()
    {
        _apply.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        _startedAt = clock.GetUtcNow();
        try
        {
            for (var delay = TimeSpan.FromSeconds(1); ; delay = delay < TimeSpan.FromSeconds(30) ? delay * 2 : delay)
            {
                try
                {
                    await RestoreAsync(stoppingToken);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Restoring safety holds failed; retrying in {Delay}", delay);
                    await Task.Delay(delay, clock, stoppingToken);
                }
            }

            var reader = sink.SafetyReader;
            while (!stoppingToken.IsCancellationRequested)
            {
                var signals = new List<AlarmSignal>();
                var changed = new Dictionary<MeterId, SafetyHold>();
                var reportedRelays = new Dictionary<MeterId, (RelayReport Relay, DateTimeOffset At)>();
                try
                {
                    var meters = await directory.ByIdAsync(stoppingToken);
                    var shops = await ShopsAsync(meters, stoppingToken);
                    for (var i = 0; i < MaxSamplesPerRound && reader.TryRead(out var sample); i++)
                    {
                        Observe(sample, meters, shops, signals, changed, reportedRelays);
                    }

                    Tick(meters, shops, signals, changed);
                    if (await OfflineSignalsAsync(meters, stoppingToken) is { } offline)
                    {
                        signals.AddRange(offline);
                    }

                    await ApplyAsync(signals, changed, stoppingToken);
                    await StoreReportedAsync(reportedRelays, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "A safety round failed; carrying on");
                    foreach (var meter in reportedRelays.Keys)
                    {
                        // Not stored: the next sample stores it again.
                        StateOf(meter).LastRelay = RelayReport.Unknown;
                    }
                }

                if (reader.Count == 0)
                {
                    using var round = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    await Task.WhenAny(reader.WaitToReadAsync(round.Token).AsTask(), Task.Delay(options.Value.TickInterval, clock, round.Token));
                    await round.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Observe(
        MeterSample sample, IReadOnlyDictionary<MeterId, MeterContext> meters, Dictionary<ShopId, bool> shops, List<AlarmSignal> signals,
        Dictionary<MeterId, SafetyHold> changed, Dictionary<MeterId, (RelayReport Relay, DateTimeOffset At)> reported)
    {
        if (!meters.TryGetValue(sample.Meter, out var meter) || meter.Status != MeterStatus.Active)
        {
            return;
        }

        try
        {
            var state = StateOf(meter.Id);
            lock (state.Gate)
            {
                if (sample.Relay != RelayReport.Unknown && sample.Relay != state.LastRelay)
                {
                    state.LastRelay = sample.Relay;
                    reported[meter.Id] = (sample.Relay, sample.At);
                }
            }

            if (LiveSampleConversion.ToLiveSample(sample, meter) is not { } live)
            {
                return;
            }

            var settings = Settings(meter, shops);
            lock (state.Gate)
            {
                var before = state.Hold;
                var overload = state.Overload.Observe(live, settings.Overload);
                var voltage = state.Voltage.Observe(live, settings.Voltage);
                state.Overload = overload.State;
                state.Voltage = voltage.State;
                signals.AddRange(overload.Signals);
                signals.AddRange(voltage.Signals);

                // With the relay open there is no load to judge; and the supply coming back is not an appliance
                // switching on, so samples with the relay open are not compared (a holding detector still sees
                // them, for its release).
                if (state.Malicious.IsHolding || live.ReportedRelay != RelayState.Open)
                {
                    var malicious = state.Malicious.Observe(live, settings.Malicious);
                    state.Malicious = malicious.State;
                    signals.AddRange(malicious.Signals);
                }

                var bypass = state.Bypass.Observe(live, relays.VerifiedTarget(meter.Id), settings.Bypass);
                state.Bypass = bypass.State;
                signals.AddRange(bypass.Signals);
                if (state.Hold != before)
                {
                    changed[meter.Id] = state.Hold;
                }
            }
        }
#pragma warning disable CA1031 // The error boundary of one meter: a bad sample never stops the others' protection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Safety detection failed for meter {Meter}", meter.Serial);
        }
    }

    /// <summary>The passage of time: automatic recloses fall due without a sample.</summary>
    private void Tick(IReadOnlyDictionary<MeterId, MeterContext> meters, Dictionary<ShopId, bool> shops, List<AlarmSignal> signals, Dictionary<MeterId, SafetyHold> changed)
    {
        var now = clock.GetUtcNow();
        foreach (var (id, state) in _meters)
        {
            if (!meters.TryGetValue(id, out var meter))
            {
                continue;
            }

            lock (state.Gate)
            {
                if (state.Overload.Phase != OverloadPhase.Tripped)
                {
                    continue;
                }

                var before = state.Hold;
                var step = state.Overload.Advance(now, Settings(meter, shops).Overload);
                state.Overload = step.State;
                signals.AddRange(step.Signals);
                if (state.Hold != before)
                {
                    changed[id] = state.Hold;
                }
            }
        }
    }

    private async Task<IReadOnlyList<AlarmSignal>?> OfflineSignalsAsync(IReadOnlyDictionary<MeterId, MeterContext> meters, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_lastOfflineCheck is { } last && now - last < options.Value.OfflineCheckInterval)
        {
            return null;
        }

        _lastOfflineCheck = now;
        IReadOnlyDictionary<GatewayId, LinkStatus> gateways;
        try
        {
            gateways = acquisition.GatewayStatus;
        }
        catch (InvalidOperationException)
        {
            // The pollers were being reloaded while we looked; next round.
            return null;
        }

        var links = new List<MeterLink>();
        foreach (var meter in meters.Values)
        {
            if (meter.Status != MeterStatus.Active)
            {
                continue;
            }

            if (meter.MqttClientId is not null)
            {
                links.Add(new MeterLink(meter.Id, null, MqttLink(meter, now)));
            }
            else if (meter.Gateway is { } gateway && gateways.ContainsKey(gateway))
            {
                links.Add(new MeterLink(meter.Id, gateway, live.Get(meter.Id).Link));
            }
        }

        var open = new List<AlarmKey>();
        await using (var connection = await connections.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT type, source_kind, source_id FROM alarms WHERE cleared_at IS NULL AND type IN (@meter, @gateway)";
            command.AddParameter("@meter", (int)AlarmType.MeterOffline);
            command.AddParameter("@gateway", (int)AlarmType.GatewayOffline);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                open.Add(new AlarmKey((AlarmType)reader.GetInt32(0), new AlarmSource((AlarmSourceKind)reader.GetInt32(1), reader.GetInt64(2))));
            }
        }

        return OfflineAlarms.Reconcile(gateways, links, open, now);
    }

    private LinkStatus MqttLink(MeterContext meter, DateTimeOffset now)
    {
        var heard = live.Get(meter.Id).LastHeardAt;
        var silence = options.Value.MqttSilenceToOffline;
        return heard is { } at
            ? (now - at >= silence ? LinkStatus.Offline : LinkStatus.Online)
            : (now - _startedAt >= silence ? LinkStatus.Offline : LinkStatus.Unknown);
    }

    /// <summary>Raises and clears alarms, then stores changed holds and wakes the control loop for those meters.</summary>
    private async Task ApplyAsync(List<AlarmSignal> signals, Dictionary<MeterId, SafetyHold> changed, CancellationToken cancellationToken)
    {
        if (signals.Count == 0 && changed.Count == 0)
        {
            return;
        }

        await _apply.WaitAsync(cancellationToken);
        try
        {
            if (signals.Count > 0)
            {
                await alarms.ApplyAsync(signals, cancellationToken);
            }

            if (changed.Count == 0)
            {
                return;
            }

            var now = clock.GetUtcNow();
            foreach (var (meter, hold) in changed)
            {
                holds.Set(meter, hold);
                logger.LogInformation("Meter {Meter}: safety hold {Hold}", meter, hold);
            }

            await connections.WriteAsync(
                async (connection, transaction) =>
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = """
                        INSERT INTO meter_control (meter_id, desired, reported, operator_lock, safety_hold, safety_hold_since)
                        VALUES (@meter, 0, 0, 0, @hold, @since)
                        ON CONFLICT (meter_id) DO UPDATE SET safety_hold = excluded.safety_hold, safety_hold_since = excluded.safety_hold_since
                        """;
                    var meter = command.AddParameter("@meter", 0L);
                    var hold = command.AddParameter("@hold", 0);
                    var since = command.AddParameter("@since", null);
                    foreach (var (id, value) in changed)
                    {
                        meter.Value = id.Value;
                        hold.Value = (int)value;
                        since.Value = value == SafetyHold.None ? DBNull.Value : now.ToUnixTimeMilliseconds();
                        await command.ExecuteNonQueryAsync(cancellationToken);
                    }

                    return changed.Count;
                },
                cancellationToken);
            foreach (var meter in changed.Keys)
            {
                wake.Raise(meter);
            }
        }
        finally
        {
            _apply.Release();
        }
    }

    /// <summary>
    /// Stores relay states that changed (by a command, the meter's own trip, or a hand on the meter) in the meters'
    /// control rows: the one writer of meter_control.reported, from the samples it sees.
    /// </summary>
    private async Task StoreReportedAsync(Dictionary<MeterId, (RelayReport Relay, DateTimeOffset At)> reported, CancellationToken cancellationToken)
    {
        if (reported.Count == 0)
        {
            return;
        }

        await connections.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO meter_control (meter_id, desired, reported, reported_at, operator_lock, safety_hold)
                    VALUES (@meter, 0, @reported, @at, 0, 0)
                    ON CONFLICT (meter_id) DO UPDATE SET reported = excluded.reported, reported_at = excluded.reported_at
                    """;
                var relay = command.AddParameter("@reported", 0);
                var at = command.AddParameter("@at", 0L);
                var meter = command.AddParameter("@meter", 0L);
                foreach (var (id, (state, when)) in reported)
                {
                    relay.Value = (int)state;
                    at.Value = when.ToUnixTimeMilliseconds();
                    meter.Value = id.Value;
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                return reported.Count;
            },
            cancellationToken);
    }

    /// <summary>Takes up the holds a previous run stored: lockouts and forbidden-appliance trips wait for an operator.</summary>
    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT meter_id, safety_hold FROM meter_control WHERE safety_hold <> 0";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var meter = new MeterId(reader.GetInt64(0));
            var hold = (SafetyHold)reader.GetInt32(1);
            if (hold is SafetyHold.OverloadLockout or SafetyHold.MaliciousLoad)
            {
                var state = StateOf(meter);
                lock (state.Gate)
                {
                    state.Restored = hold;
                }

                holds.Set(meter, hold);
            }
        }
    }

    private MeterSafety StateOf(MeterId meter) => _meters.GetOrAdd(meter, id => new MeterSafety(AlarmSource.Meter(id)));

    /// <summary>The detectors' settings for one meter: the shop's limit and appliance policy, the meter's CT/PT ratios.</summary>
    private (OverloadSettings Overload, VoltageSettings Voltage, MaliciousLoadSettings Malicious, BypassSettings Bypass) Settings(
        MeterContext meter, Dictionary<ShopId, bool> shops)
    {
        var o = options.Value;
        var controllable = ControlFactsLoader.IsControllable(meter);
        var ct = (double)meter.CtRatio;
        var pt = (double)meter.PtRatio;
        var forbidden = meter.Shop is { } shop && shops.TryGetValue(shop, out var allowed) && !allowed;
        return (
            o.Overload with
            {
                PowerLimitKw = meter.PowerLimitKw is { } limit ? (double)limit : null,
                CurrentLimitA = o.PhaseCurrentLimitA,

                // A meter whose supply cannot be cut only alarms: it never locks out.
                MaxRecloses = controllable ? o.Overload.MaxRecloses : int.MaxValue,
            },
            o.Voltage with { NominalV = o.Voltage.NominalV * pt, PhaseLossBelowV = o.Voltage.PhaseLossBelowV * pt },
            o.MaliciousLoad with { TripWhenDetected = controllable && forbidden },
            o.Bypass with { CurrentToleranceA = o.Bypass.CurrentToleranceA * ct, PowerToleranceKw = o.Bypass.PowerToleranceKw * ct * pt });
    }

    /// <summary>Whether each shop allows high-power appliances; reloaded when older than 30 s or a meter names a shop not yet known.</summary>
    private async Task<Dictionary<ShopId, bool>> ShopsAsync(IReadOnlyDictionary<MeterId, MeterContext> meters, CancellationToken cancellationToken)
    {
        if (_shops is { } cached && clock.GetUtcNow() - cached.LoadedAt < ShopCacheAge
            && meters.Values.All(m => m.Shop is not { } shop || cached.AllowHighPower.ContainsKey(shop)))
        {
            return cached.AllowHighPower;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var shops = await db.Shops.AsNoTracking().Select(s => new { s.Id, s.HighPowerAppliancesAllowed }).ToDictionaryAsync(s => s.Id, s => s.HighPowerAppliancesAllowed, cancellationToken);
        _shops = (clock.GetUtcNow(), shops);
        return shops;
    }
}
