using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Load;

namespace Kilowallet.Simulator.Meters;

/// <summary>
/// One virtual meter. Its state advances lazily: each read integrates the power of its load source over the
/// simulated time since the previous read, so there are no per-meter timers and 10,000 meters cost nothing while
/// nobody reads them.
/// </summary>
/// <remarks>
/// <para><b>Integration.</b> The load source is a step function of simulated time (constant within each UTC
/// minute). The meter cuts time at every minute boundary, TOU band change (on its own clock), relay or fault
/// transition and overload trip instant, and adds P × Δt for each piece in whole milliwatts × ticks, carried into
/// milliwatt-hours with the remainder kept — energy is exactly the integral of the power the meter reports.</para>
/// <para><b>Physics.</b> An open relay drops power to zero and energy stops, unless a bypass fault is active.
/// Meters with an overload trip open their relay once power has stayed above the limit for the trip delay.
/// Close-allowed meters arm on a remote close and close when the button is pressed (or after the auto-press delay).</para>
/// <para>Thread-safe: one lock per meter.</para>
/// </remarks>
public sealed class VirtualMeter
{
    private const long MilliwattTicksPerMilliwattHour = 3_600L * TimeSpan.TicksPerSecond;
    private const long NotOver = long.MinValue;
    private const double NominalVolts = 230.0;

    /// <summary>Minutes of base load a feeding meter remembers for the incomer (a power of two).</summary>
    internal const int RecentMinutes = 128;

    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly MallCalendar _calendar;
    private readonly TouTable _touTable;
    private readonly int[] _sharesPpm;
    private readonly long _limitMilliwatts;
    private readonly long _overloadDelayTicks;
    private readonly long _autoPressTicks;
    private readonly double _ctRatio;
    private readonly ulong _voltageSeed;
    private readonly ulong _gridSeed;
    private readonly long[] _bandMwh = new long[4];
    private readonly long[] _bandRemainder = new long[4];
    private readonly List<ScheduledFault> _faults = [];
    private ILoadSource _source;
    private IncomerLoadSource? _incomer;
    private List<FeedChange>? _feedLog;
    private LoadSample[]? _recentSamples;
    private long[]? _recentMinutes;

    private long _integratedTo;
    private bool _started;
    private RelayState _relay;
    private bool _armed;
    private long _autoPressAt = long.MaxValue;
    private MeterAlarms _latchedAlarms;
    private long _overSince = NotOver;
    private PowerState _state;
    private long _driftTicks;
    private long _syncDriftTicks;
    private double? _sagVolts;
    private int _sagPhases;
    private int _lostPhases;
    private bool _bypass;
    private TouBand _band;
    private long _bandUntil = long.MinValue;
    private long _nextTransition = long.MaxValue;

    internal VirtualMeter(MeterDefinition definition, MeterKind kind, VirtualGateway gateway, TimeProvider clock, MallCalendar calendar,
        ILoadSource source, int mallSeed)
    {
        Definition = definition;
        Kind = kind;
        Gateway = gateway;
        _clock = clock;
        _calendar = calendar;
        _source = source;
        _touTable = definition.TouTable ?? TouTable.ChineseCommercial;
        _ctRatio = (double)definition.CtRatio;
        _limitMilliwatts = (long)Math.Round((double)definition.PowerLimitKw * 1_000_000.0 / _ctRatio);
        _overloadDelayTicks = definition.OverloadTripDelay.Ticks;
        _autoPressTicks = definition.AutoPressDelay?.Ticks ?? -1;
        _sharesPpm = PhaseShares(kind.Phases, definition.Seed);
        _voltageSeed = ValueNoise.Derive(definition.Seed, 10);
        _gridSeed = ValueNoise.Derive(mallSeed, 11);
        _relay = kind.HasRelay ? definition.InitialRelay : RelayState.Closed;
        Restart(clock.GetUtcNow().UtcTicks);
    }

    public MeterDefinition Definition { get; }

    public MeterKind Kind { get; }

    public VirtualGateway Gateway { get; }

    public string Serial => Definition.Serial;

    public int? UnitId => Definition.UnitId;

    public string? Dlt645Address => Definition.Dlt645Address;

    /// <summary>The overload limit as the meter sees it (secondary side), kW.</summary>
    public double OverloadLimitKw => _limitMilliwatts / 1_000_000.0;

    /// <summary>The meter's load before relay and faults.</summary>
    public ILoadSource LoadSource => _source;

    /// <summary>Simulated instant up to which energy has been integrated.</summary>
    public DateTimeOffset IntegratedTo
    {
        get
        {
            lock (_gate)
            {
                return new DateTimeOffset(_integratedTo, TimeSpan.Zero);
            }
        }
    }

    /// <summary>True once live values have been read (history can no longer be generated).</summary>
    public bool HasStarted
    {
        get
        {
            lock (_gate)
            {
                return _started;
            }
        }
    }

    /// <summary>Advances to the clock's now and returns the live values.</summary>
    public MeterReading Read()
    {
        var now = _clock.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            var t = Math.Max(now, _integratedTo);
            AdvanceLocked(t);
            _started = true;
            return SnapshotLocked(t);
        }
    }

    /// <summary>Energy at the clock's now.</summary>
    public MeterEnergy ReadEnergy()
    {
        var now = _clock.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            AdvanceLocked(Math.Max(now, _integratedTo));
            _started = true;
            return EnergyLocked();
        }
    }

    /// <summary>How the meter answers right now (communication faults of the meter and its gateway).</summary>
    public MeterCommunication Communication
    {
        get
        {
            var now = _clock.GetUtcNow().UtcTicks;
            lock (_gate)
            {
                return CommunicationLocked(now);
            }
        }
    }

    /// <summary>Applies a remote relay command now.</summary>
    public RelayOutcome ApplyRelayCommand(RelayCommand command)
    {
        if (!Kind.HasRelay)
        {
            return RelayOutcome.NoRelay;
        }

        lock (_gate)
        {
            var t = AdvanceToNowLocked();
            RelayOutcome outcome;
            var arm = command == RelayCommand.CloseAllowed
                || (command == RelayCommand.Close && Kind.CloseMode == CloseMode.ButtonAfterAllow);
            if (command == RelayCommand.Open)
            {
                _relay = RelayState.Open;
                _armed = false;
                _autoPressAt = long.MaxValue;
                outcome = RelayOutcome.Done;
            }
            else if (arm && Kind.CloseMode == CloseMode.ButtonAfterAllow && _relay == RelayState.Open)
            {
                _armed = true;
                _autoPressAt = _autoPressTicks >= 0 ? t + _autoPressTicks : long.MaxValue;
                outcome = RelayOutcome.AwaitingButton;
            }
            else
            {
                CloseLocked();
                outcome = RelayOutcome.Done;
            }

            ChangedLocked(t);
            return outcome;
        }
    }

    /// <summary>The tenant presses the meter's button: closes the relay if a close was allowed. Returns whether it closed.</summary>
    public bool PressButton()
    {
        lock (_gate)
        {
            var t = AdvanceToNowLocked();
            if (!_armed)
            {
                return false;
            }

            CloseLocked();
            ChangedLocked(t);
            return true;
        }
    }

    /// <summary>Sets the meter's clock (a time sync): the drift becomes the difference from true time.</summary>
    public void SetMeterClock(DateTimeOffset meterTime)
    {
        lock (_gate)
        {
            var t = AdvanceToNowLocked();
            _faults.RemoveAll(f => f.Event.Kind == EventKind.ClockDrift);
            _syncDriftTicks = meterTime.UtcTicks - t;
            ChangedLocked(t);
        }
    }

    /// <summary>Advances the meter to a simulated instant (no-op if already there); for history and benchmarks.</summary>
    public void AdvanceTo(DateTimeOffset instant) => AdvanceTo(instant.UtcTicks);

    internal void AdvanceTo(long ticks)
    {
        lock (_gate)
        {
            AdvanceLocked(ticks);
        }
    }

    internal MeterEnergy EnergyAt(long ticks)
    {
        lock (_gate)
        {
            AdvanceLocked(ticks);
            return EnergyLocked();
        }
    }

    internal MeterReading ReadAt(long ticks)
    {
        lock (_gate)
        {
            var t = Math.Max(ticks, _integratedTo);
            AdvanceLocked(t);
            _started = true;
            return SnapshotLocked(t);
        }
    }

    /// <summary>Restarts integration at <paramref name="ticks"/> from the opening registers (only before any live read).</summary>
    internal void Restart(long ticks)
    {
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException($"Meter {Serial} has been read live; its history can no longer be generated.");
            }

            Array.Clear(_bandMwh);
            Array.Clear(_bandRemainder);
            if (Definition.OpeningEnergy is { } opening)
            {
                foreach (var band in (ReadOnlySpan<TouBand>)[TouBand.Sharp, TouBand.Peak, TouBand.Flat, TouBand.Valley])
                {
                    _bandMwh[(int)band] = opening[band];
                }
            }
            else
            {
                _bandMwh[(int)TouBand.Flat] = checked((long)(Definition.OpeningKwh * 1_000_000m));
            }
            _integratedTo = ticks;
            _bandUntil = long.MinValue;
            if (_recentMinutes is not null)
            {
                Array.Fill(_recentMinutes, long.MinValue);
            }

            _overSince = NotOver;
            RecomputeStateLocked(ticks);
            if (_feedLog is not null)
            {
                _feedLog.Clear();
                _feedLog.Add(new FeedChange(ticks, _state));
            }

            UpdateNextTransitionLocked();
        }
    }

    internal void AttachIncomer(IncomerLoadSource incomer)
    {
        _incomer = incomer;
        _source = incomer;
    }

    internal void EnableFeedLog()
    {
        lock (_gate)
        {
            _feedLog = [new FeedChange(_integratedTo, _state)];
            _recentSamples = new LoadSample[RecentMinutes];
            _recentMinutes = new long[RecentMinutes];
            Array.Fill(_recentMinutes, long.MinValue);
        }
    }

    /// <summary>
    /// The feed states in effect from <paramref name="fromTicks"/> on (the first one starts at or before it), and a
    /// copy of the base load of the last <see cref="RecentMinutes"/> minutes this meter integrated.
    /// </summary>
    internal FeedChange[] FeedSince(long fromTicks, LoadSample[] recentSamples, long[] recentMinutes)
    {
        lock (_gate)
        {
            _recentSamples!.CopyTo(recentSamples, 0);
            _recentMinutes!.CopyTo(recentMinutes, 0);
            var log = _feedLog!;
            var first = log.Count - 1;
            while (first > 0 && log[first].AtTicks > fromTicks)
            {
                first--;
            }

            return [.. log.Skip(first)];
        }
    }

    /// <summary>Forgets feed states the incomer no longer needs (before the one in effect at <paramref name="ticks"/>).</summary>
    internal void TrimFeed(long ticks)
    {
        lock (_gate)
        {
            var log = _feedLog!;
            var keep = log.Count - 1;
            while (keep > 0 && log[keep].AtTicks > ticks)
            {
                keep--;
            }

            if (keep > 0)
            {
                log.RemoveRange(0, keep);
            }
        }
    }

    /// <summary>The power this meter measures for a base load in a given state (thread-safe: pure).</summary>
    internal LoadSample FeedSample(LoadSample baseLoad, in PowerState state) => EffectiveTotal(baseLoad, state);

    internal void AddFault(ScheduledFault fault)
    {
        lock (_gate)
        {
            var t = AdvanceToNowLocked();
            _faults.Add(fault);
            UpdateNextTransitionLocked();
            ApplyTransitionsLocked(t);
        }
    }

    internal bool RemoveFault(EventId id)
    {
        lock (_gate)
        {
            var t = AdvanceToNowLocked();
            if (_faults.RemoveAll(f => f.Id == id) == 0)
            {
                return false;
            }

            ChangedLocked(t);
            return true;
        }
    }

    internal long NowTicks => _clock.GetUtcNow().UtcTicks;

    private long AdvanceToNowLocked()
    {
        var t = Math.Max(_clock.GetUtcNow().UtcTicks, _integratedTo);
        AdvanceLocked(t);
        return t;
    }

    private void AdvanceLocked(long target)
    {
        _incomer?.Prepare(_integratedTo, Math.Max(target, _integratedTo));
        if (target <= _integratedTo)
        {
            return;
        }

        var t = _integratedTo;
        if (t >= _nextTransition)
        {
            ApplyTransitionsLocked(t);
        }

        while (t < target)
        {
            if (t >= _bandUntil)
            {
                RefreshBandLocked(t);
            }

            var end = Math.Min(Math.Min(target, _source.PieceEnd(t)), Math.Min(_bandUntil, _nextTransition));
            var sample = _source.Sample(t);
            if (_recentSamples is not null)
            {
                var minute = t / TimeSpan.TicksPerMinute;
                var slot = (int)(minute & (RecentMinutes - 1));
                _recentSamples[slot] = sample;
                _recentMinutes![slot] = minute;
            }

            var milliwatts = EffectiveTotal(sample, _state).Milliwatts;
            if (Kind.HasOverloadTrip && _relay == RelayState.Closed)
            {
                if (milliwatts > _limitMilliwatts)
                {
                    if (_overSince == NotOver)
                    {
                        _overSince = t;
                        UpdateNextTransitionLocked();
                        end = Math.Min(end, _nextTransition);
                    }
                }
                else if (_overSince != NotOver)
                {
                    _overSince = NotOver;
                    UpdateNextTransitionLocked();
                }
            }

            if (end <= t)
            {
                end = t + 1; // a transition exactly now that changed nothing: never stall
            }

            AccumulateLocked(milliwatts, end - t);
            _integratedTo = end;
            t = end;
            if (t >= _nextTransition)
            {
                ApplyTransitionsLocked(t);
            }
        }

        _incomer?.Finish(target);
    }

    private void AccumulateLocked(long milliwatts, long ticks)
    {
        if (milliwatts <= 0)
        {
            return;
        }

        var band = (int)_band;
        var remainder = _bandRemainder[band] + (milliwatts * ticks);
        if (remainder >= MilliwattTicksPerMilliwattHour)
        {
            _bandMwh[band] += remainder / MilliwattTicksPerMilliwattHour;
            remainder %= MilliwattTicksPerMilliwattHour;
        }

        _bandRemainder[band] = remainder;
    }

    private void RefreshBandLocked(long t)
    {
        // The meter's wall clock: true time + drift, in the mall's zone.
        var meterLocal = _calendar.ToLocalTicks(t + _driftTicks);
        var day = meterLocal / TimeSpan.TicksPerDay;
        var dayStart = day * TimeSpan.TicksPerDay;
        var month = new DateTime(meterLocal, DateTimeKind.Unspecified).Month;
        _band = _touTable.ForMonth(month).BandAt(meterLocal - dayStart, out var endOfDay);
        var untilUtc = _calendar.ToUtcTicks(dayStart + endOfDay) - _driftTicks;
        _bandUntil = untilUtc > t ? untilUtc : t + TimeSpan.TicksPerSecond;
    }

    private void ApplyTransitionsLocked(long t)
    {
        var changed = false;
        for (var i = _faults.Count - 1; i >= 0; i--)
        {
            var fault = _faults[i];
            if (!fault.Started && fault.StartTicks <= t)
            {
                fault.Started = true;
                changed = true;
                if (fault.Event.Kind == EventKind.CounterReset)
                {
                    Array.Clear(_bandMwh);
                    Array.Clear(_bandRemainder);
                    _bandMwh[(int)TouBand.Flat] = checked((long)(fault.Event.StartKwh * 1_000_000m));
                    _faults.RemoveAt(i);
                    continue;
                }
            }

            if (fault.EndTicks <= t)
            {
                _faults.RemoveAt(i);
                changed = true;
            }
        }

        if (_armed && _autoPressAt <= t)
        {
            CloseLocked();
            changed = true;
        }

        if (_overSince != NotOver && _relay == RelayState.Closed && SaturatingAdd(_overSince, _overloadDelayTicks) <= t)
        {
            _relay = RelayState.Open;
            _latchedAlarms |= MeterAlarms.OverloadTrip;
            _overSince = NotOver;
            changed = true;
        }

        if (changed)
        {
            RecomputeStateLocked(t);
        }

        UpdateNextTransitionLocked();
    }

    private void ChangedLocked(long t)
    {
        RecomputeStateLocked(t);
        UpdateNextTransitionLocked();
    }

    private void CloseLocked()
    {
        _relay = RelayState.Closed;
        _armed = false;
        _autoPressAt = long.MaxValue;
        _latchedAlarms &= ~MeterAlarms.OverloadTrip;
        _overSince = NotOver;
    }

    private void RecomputeStateLocked(long t)
    {
        long malicious = 0, overload = 0;
        var maliciousPhase = 0;
        int lost = 0, sagPhases = 0;
        double? sag = null;
        var bypass = false;
        long? driftFault = null;
        foreach (var fault in _faults)
        {
            if (!fault.Started)
            {
                continue;
            }

            var e = fault.Event;
            switch (e.Kind)
            {
                case EventKind.MaliciousLoad:
                    malicious += ToSecondaryMilliwatts(e.Kilowatts);
                    maliciousPhase = Math.Min(e.Phase ?? 0, Kind.Phases - 1);
                    break;
                case EventKind.Overload:
                    overload += e.Kilowatts > 0 ? ToSecondaryMilliwatts(e.Kilowatts) : (long)(_limitMilliwatts * 1.2);
                    break;
                case EventKind.PhaseLoss:
                    lost |= 1 << (e.Phase ?? 0);
                    break;
                case EventKind.VoltageSag or EventKind.VoltageSwell:
                    sag = e.Volts;
                    sagPhases = e.Phase is { } p ? 1 << p : 0b111;
                    break;
                case EventKind.Bypass:
                    bypass = true;
                    break;
                case EventKind.ClockDrift:
                    driftFault = e.ClockOffset.Ticks;
                    break;
                default:
                    break;
            }
        }

        var drift = driftFault ?? _syncDriftTicks;
        if (drift != _driftTicks)
        {
            _driftTicks = drift;
            _bandUntil = long.MinValue;
        }

        _lostPhases = lost;
        _sagVolts = sag;
        _sagPhases = sagPhases;
        _bypass = bypass;
        var state = new PowerState(_relay == RelayState.Closed || bypass, lost, malicious, maliciousPhase, overload);
        if (state != _state)
        {
            _state = state;
            _feedLog?.Add(new FeedChange(t, state));
        }
    }

    private void UpdateNextTransitionLocked()
    {
        var next = long.MaxValue;
        foreach (var fault in _faults)
        {
            next = Math.Min(next, fault.Started ? fault.EndTicks : fault.StartTicks);
        }

        if (_armed)
        {
            next = Math.Min(next, _autoPressAt);
        }

        if (_overSince != NotOver && _relay == RelayState.Closed)
        {
            next = Math.Min(next, SaturatingAdd(_overSince, _overloadDelayTicks));
        }

        _nextTransition = next;
    }

    private long ToSecondaryMilliwatts(double primaryKw) => (long)Math.Round(primaryKw * 1_000_000.0 / _ctRatio);

    /// <summary>The total of <see cref="Effective"/>, without the phase split when nothing changes it.</summary>
    private LoadSample EffectiveTotal(LoadSample sample, in PowerState state)
    {
        if (state.Conducting && state.LostPhases == 0 && state.MaliciousMilliwatts == 0 && state.OverloadMilliwatts == 0)
        {
            return sample;
        }

        Span<long> phases = stackalloc long[3];
        Span<double> reactive = stackalloc double[3];
        return Effective(sample, state, phases, reactive);
    }

    /// <summary>Splits a base load over the phases and applies relay, lost phases and injected loads. Total = Σ phases exactly.</summary>
    private LoadSample Effective(LoadSample sample, in PowerState state, Span<long> phaseMilliwatts, Span<double> phaseReactive)
    {
        var n = _sharesPpm.Length;
        phaseMilliwatts[..n].Clear();
        phaseReactive[..n].Clear();
        if (!state.Conducting)
        {
            return LoadSample.Zero;
        }

        long assigned = 0;
        for (var k = 0; k < n; k++)
        {
            var p = k < n - 1 ? sample.Milliwatts * _sharesPpm[k] / 1_000_000 : sample.Milliwatts - assigned;
            assigned += p;
            phaseMilliwatts[k] = p;
            phaseReactive[k] = sample.ReactiveMillivars * _sharesPpm[k] / 1_000_000.0;
        }

        if (state.OverloadMilliwatts > 0)
        {
            var extra = LoadSample.AtPowerFactor(state.OverloadMilliwatts, 0.90);
            long spread = 0;
            for (var k = 0; k < n; k++)
            {
                var p = k < n - 1 ? extra.Milliwatts * _sharesPpm[k] / 1_000_000 : extra.Milliwatts - spread;
                spread += p;
                phaseMilliwatts[k] += p;
                phaseReactive[k] += extra.ReactiveMillivars * _sharesPpm[k] / 1_000_000.0;
            }
        }

        if (state.MaliciousMilliwatts > 0)
        {
            var extra = LoadSample.AtPowerFactor(state.MaliciousMilliwatts, 0.99);
            phaseMilliwatts[state.MaliciousPhase] += extra.Milliwatts;
            phaseReactive[state.MaliciousPhase] += extra.ReactiveMillivars;
        }

        long total = 0;
        double totalReactive = 0;
        for (var k = 0; k < n; k++)
        {
            if ((state.LostPhases & (1 << k)) != 0)
            {
                phaseMilliwatts[k] = 0;
                phaseReactive[k] = 0;
            }

            total += phaseMilliwatts[k];
            totalReactive += phaseReactive[k];
        }

        return new LoadSample(total, totalReactive);
    }

    private MeterCommunication CommunicationLocked(long t)
    {
        var offline = false;
        var delay = TimeSpan.Zero;
        var crc = 0.0;
        foreach (var fault in _faults)
        {
            if (!fault.IsActiveAt(t))
            {
                continue;
            }

            switch (fault.Event.Kind)
            {
                case EventKind.Offline: offline = true; break;
                case EventKind.SlowResponses: delay += fault.Event.ExtraDelay; break;
                case EventKind.CrcErrors: crc = Math.Max(crc, fault.Event.Fraction); break;
                default: break;
            }
        }

        var bus = Gateway.CommunicationAt(t);
        return new MeterCommunication(offline, bus.GatewayOffline, delay + bus.ExtraDelay, Math.Max(crc, bus.CrcErrorFraction));
    }

    private MeterEnergy EnergyLocked() =>
        new(_bandMwh[(int)TouBand.Sharp], _bandMwh[(int)TouBand.Peak], _bandMwh[(int)TouBand.Flat], _bandMwh[(int)TouBand.Valley]);

    private MeterReading SnapshotLocked(long t)
    {
        var n = _sharesPpm.Length;
        Span<long> phaseMw = stackalloc long[3];
        Span<double> phaseQ = stackalloc double[3];
        var total = Effective(_source.Sample(t), _state, phaseMw, phaseQ);
        var second = t / TimeSpan.TicksPerSecond;
        var phases = new PhaseReading[n];
        var alarms = _latchedAlarms;
        for (var k = 0; k < n; k++)
        {
            double volts;
            if ((_lostPhases & (1 << k)) != 0)
            {
                volts = 0;
                alarms |= MeterAlarms.PhaseLoss;
            }
            else
            {
                var nominal = _sagVolts is { } v && (_sagPhases & (1 << k)) != 0 ? v : NominalVolts;
                volts = nominal
                    * (1.0 + (0.012 * ValueNoise.Smooth(_gridSeed + (ulong)k, second, 47)) + (0.003 * ValueNoise.Smooth(_voltageSeed + (ulong)k, second, 13)));
                volts = Math.Round(volts, 1);
                if (volts > NominalVolts * 1.10)
                {
                    alarms |= MeterAlarms.OverVoltage;
                }
                else if (volts < NominalVolts * 0.90)
                {
                    alarms |= MeterAlarms.UnderVoltage;
                }
            }

            var kw = phaseMw[k] / 1_000_000.0;
            var pf = new LoadSample(phaseMw[k], phaseQ[k]).PowerFactor;
            var amps = volts > 0 && kw > 0 ? kw * 1000.0 / (volts * pf) : 0.0;
            phases[k] = new PhaseReading(volts, amps, kw, pf);
        }

        if (_relay == RelayState.Open && total.Milliwatts > 0)
        {
            alarms |= MeterAlarms.CurrentWhileRelayOpen;
        }

        if (_armed)
        {
            alarms |= MeterAlarms.AwaitingButton;
        }

        var frequency = Math.Round(50.0 + (0.03 * ValueNoise.Smooth(_gridSeed ^ 0x5A5A5A5AUL, second, 31)), 3);
        var energy = EnergyLocked();
        return new MeterReading(
            Serial,
            Kind.Name,
            new DateTimeOffset(t, TimeSpan.Zero),
            new DateTimeOffset(t + _driftTicks, TimeSpan.Zero),
            _relay,
            alarms,
            phases,
            total.Milliwatts / 1_000_000.0,
            total.ReactiveMillivars / 1_000_000.0,
            total.PowerFactor,
            frequency,
            energy,
            energy.ToRegisters(Kind.EnergyResolutionKwh, Kind.RegisterCapacityKwh),
            CommunicationLocked(t));
    }

    /// <summary>Phase shares in parts per million: 1 phase takes all; 3 phases get a seeded imbalance of a few percent.</summary>
    private static int[] PhaseShares(int phases, int seed)
    {
        if (phases == 1)
        {
            return [1_000_000];
        }

        var noise = ValueNoise.Derive(seed, 20);
        var weights = new double[3];
        for (var k = 0; k < 3; k++)
        {
            weights[k] = 1.0 + (0.06 * ValueNoise.Unit(noise, k));
        }

        var sum = weights.Sum();
        var a = (int)Math.Round(1_000_000 * weights[0] / sum);
        var b = (int)Math.Round(1_000_000 * weights[1] / sum);
        return [a, b, 1_000_000 - a - b];
    }

    private static long SaturatingAdd(long a, long b) => b > long.MaxValue - a ? long.MaxValue : a + b;
}
