using System.Collections.Concurrent;
using System.Globalization;
using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator;

/// <summary>
/// The simulated mall: builds gateways and meters from a <see cref="MallDefinition"/> (refusing impossible
/// settings with a sentence naming them), finds meters by gateway + unit id, DL/T 645 address or serial, applies
/// and clears events, and generates history quickly. Time comes from the <see cref="TimeProvider"/> it is given
/// (a <see cref="Clock.SimulationClock"/> to run faster than real time). Thread-safe.
/// </summary>
public sealed class SimulatedMall
{
    public const int MaxHistoryReadingsPerMeter = 1_000_000;

    private readonly Dictionary<string, VirtualMeter> _bySerial = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VirtualGateway> _gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<EventId, EventRecord> _events = [];
    private readonly Lock _eventsGate = new();
    private int _nextEventId;

    private SimulatedMall(MallDefinition definition, TimeProvider clock, MallCalendar calendar, List<VirtualGateway> gateways, List<VirtualMeter> meters, VirtualMeter? incomer)
    {
        Definition = definition;
        Clock = clock;
        Calendar = calendar;
        Gateways = gateways;
        Meters = meters;
        Incomer = incomer;
        foreach (var gateway in gateways)
        {
            _gateways.Add(gateway.Name, gateway);
        }

        foreach (var meter in meters)
        {
            _bySerial.Add(meter.Serial, meter);
        }
    }

    public MallDefinition Definition { get; }

    public TimeProvider Clock { get; }

    public MallCalendar Calendar { get; }

    public IReadOnlyList<VirtualGateway> Gateways { get; }

    public IReadOnlyList<VirtualMeter> Meters { get; }

    /// <summary>The master incomer, if the mall has one.</summary>
    public VirtualMeter? Incomer { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Builds the mall; its meters start integrating at the clock's now.</summary>
    public static SimulatedMall Create(MallDefinition definition, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(clock);
        var calendar = new MallCalendar(MallCalendar.FindZone(definition.TimeZone), definition.OpensAt, definition.ClosesAt);
        if (!(definition.LineLossFraction >= 0 && definition.LineLossFraction < 0.5))
        {
            throw new ArgumentException($"The line loss fraction must be between 0 and 0.5 (got {definition.LineLossFraction}).", nameof(definition));
        }

        var gateways = new List<VirtualGateway>();
        var byName = new Dictionary<string, VirtualGateway>(StringComparer.Ordinal);
        foreach (var g in definition.Gateways)
        {
            ValidateGateway(g);
            if (byName.ContainsKey(g.Name))
            {
                throw new ArgumentException($"Two gateways are named '{g.Name}'; gateway names must be unique.", nameof(definition));
            }

            var gateway = new VirtualGateway(g, clock);
            byName.Add(g.Name, gateway);
            gateways.Add(gateway);
        }

        var shapes = new Dictionary<LoadFormat, ShapeTable>();
        var serials = new HashSet<string>(StringComparer.Ordinal);
        var meters = new List<VirtualMeter>();
        var incomers = new List<VirtualMeter>();
        foreach (var m in definition.Meters)
        {
            var kind = MeterKinds.Find(m.Kind);
            ValidateMeter(m, kind);
            if (!serials.Add(m.Serial))
            {
                throw new ArgumentException($"Two meters have the serial '{m.Serial}'; serials must be unique.", nameof(definition));
            }

            if (!byName.TryGetValue(m.Gateway, out var gateway))
            {
                throw new ArgumentException($"Meter {m.Serial}: gateway '{m.Gateway}' is not defined.", nameof(definition));
            }

            ValidateAddress(m, gateway);
            ILoadSource source = m.Format == LoadFormat.MasterIncomer
                ? new LoadModel(new FormatProfile(0, []), 0, 0, m.Seed, calendar) // replaced by the incomer source below
                : BuildLoad(m, calendar, shapes);
            var meter = new VirtualMeter(m, kind, gateway, clock, calendar, source, definition.Seed);
            gateway.Add(meter);
            meters.Add(meter);
            if (m.Format == LoadFormat.MasterIncomer)
            {
                incomers.Add(meter);
            }
        }

        if (incomers.Count > 1)
        {
            throw new ArgumentException($"A mall has at most one master incomer (found {string.Join(", ", incomers.Select(i => i.Serial))}).", nameof(definition));
        }

        var incomer = incomers.SingleOrDefault();
        if (incomer is not null)
        {
            incomer.AttachIncomer(new IncomerLoadSource([.. meters.Where(m => m != incomer)], (double)incomer.Definition.CtRatio, definition.LineLossFraction));
        }

        return new SimulatedMall(definition, clock, calendar, gateways, meters, incomer);
    }

    public VirtualMeter? FindSerial(string serial) => _bySerial.GetValueOrDefault(serial);

    public VirtualGateway? FindGateway(string name) => _gateways.GetValueOrDefault(name);

    public VirtualMeter? FindUnit(string gateway, int unitId) => FindGateway(gateway)?.FindUnit(unitId);

    /// <summary>A meter by DL/T 645 address, on one gateway or anywhere in the mall.</summary>
    public VirtualMeter? FindAddress(string address, string? gateway = null) =>
        gateway is not null
            ? FindGateway(gateway)?.FindAddress(address)
            : Meters.FirstOrDefault(m => string.Equals(m.Dlt645Address, address, StringComparison.Ordinal));

    /// <summary>The meters an event target names; refuses a target that names nothing.</summary>
    public IReadOnlyList<VirtualMeter> Resolve(EventTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.IsWholeMall)
        {
            return Meters;
        }

        if (target.Serial is { } serial)
        {
            return [FindSerial(serial) ?? throw new ArgumentException($"No meter has the serial '{serial}'.", nameof(target))];
        }

        if (target.Address is { } address)
        {
            return [FindAddress(address, target.Gateway) ?? throw new ArgumentException($"No meter has the DL/T 645 address '{address}'{(target.Gateway is null ? string.Empty : $" on gateway '{target.Gateway}'")}.", nameof(target))];
        }

        var gateway = FindGateway(target.Gateway!) ?? throw new ArgumentException($"No gateway is named '{target.Gateway}'.", nameof(target));
        if (target.UnitId is { } unit)
        {
            return [gateway.FindUnit(unit) ?? throw new ArgumentException($"Gateway '{gateway.Name}' has no meter at unit id {unit}.", nameof(target))];
        }

        return gateway.Meters;
    }

    /// <summary>Injects an event now (it may start later and end by itself); returns its id to clear it.</summary>
    public EventId Inject(EventTarget target, SimulationEvent simulationEvent)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(simulationEvent);
        simulationEvent.Validate();
        var now = Clock.GetUtcNow().UtcTicks;
        var start = now + simulationEvent.StartAfter.Ticks;
        var end = simulationEvent.Kind == EventKind.CounterReset ? start
            : simulationEvent.Duration is { } duration ? start + duration.Ticks : long.MaxValue;

        var gateways = new List<VirtualGateway>();
        IReadOnlyList<VirtualMeter> meters = [];
        var busWide = simulationEvent.IsGatewayEvent
            || (target.IsGateway && simulationEvent.Kind is EventKind.SlowResponses or EventKind.CrcErrors);
        if (busWide)
        {
            if (target.IsGateway)
            {
                gateways.Add(FindGateway(target.Gateway!) ?? throw new ArgumentException($"No gateway is named '{target.Gateway}'.", nameof(target)));
            }
            else if (target.IsWholeMall)
            {
                gateways.AddRange(Gateways);
            }
            else
            {
                throw new ArgumentException($"A gateway-offline event needs a gateway (got the meter target {target}).", nameof(target));
            }
        }
        else
        {
            meters = Resolve(target);
            foreach (var meter in meters)
            {
                ValidateFor(meter, simulationEvent);
            }
        }

        EventId id;
        lock (_eventsGate)
        {
            id = new EventId(++_nextEventId);
            var active = new ActiveEvent(id, target, simulationEvent, new DateTimeOffset(start, TimeSpan.Zero),
                end == long.MaxValue ? null : new DateTimeOffset(end, TimeSpan.Zero), [.. meters.Select(m => m.Serial)]);
            _events.Add(id, new EventRecord(active, meters, gateways));
        }

        foreach (var gateway in gateways)
        {
            gateway.AddFault(new ScheduledFault(id, simulationEvent, start, end));
        }

        foreach (var meter in meters)
        {
            meter.AddFault(new ScheduledFault(id, simulationEvent, start, end));
        }

        return id;
    }

    /// <summary>Ends an event now. Returns false if it is unknown (or already cleared).</summary>
    public bool Clear(EventId id)
    {
        EventRecord? record;
        lock (_eventsGate)
        {
            if (!_events.Remove(id, out record))
            {
                return false;
            }
        }

        foreach (var gateway in record.Gateways)
        {
            gateway.RemoveFault(id);
        }

        foreach (var meter in record.Meters)
        {
            meter.RemoveFault(id);
        }

        return true;
    }

    /// <summary>Events not yet over (scheduled or active), oldest first.</summary>
    public IReadOnlyList<ActiveEvent> Events
    {
        get
        {
            var now = Now;
            lock (_eventsGate)
            {
                foreach (var over in _events.Where(e => e.Value.Event.EndsAt is { } end && end <= now).Select(e => e.Key).ToList())
                {
                    _events.Remove(over);
                }

                return [.. _events.Values.Select(e => e.Event).OrderBy(e => e.Id.Value)];
            }
        }
    }

    /// <summary>
    /// Generates history quickly, without running in real time: every meter is restarted at <paramref name="from"/>
    /// (from its opening reading) and integrated up to the clock's now, recording its exact registers at
    /// <paramref name="from"/> and every <paramref name="interval"/> after it. The meters' live state continues from
    /// there, so the first live read follows the last reading without a jump. Only before the first live read; no
    /// events are replayed (relays as defined at start, no faults).
    /// </summary>
    public MallHistory GenerateHistory(DateTimeOffset from, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The history interval must be positive (got {interval}).", nameof(interval));
        }

        var now = Clock.GetUtcNow();
        if (from >= now)
        {
            throw new ArgumentException($"History must start before now ({now:O}); got {from:O}.", nameof(from));
        }

        var count = ((now - from).Ticks / interval.Ticks) + 1;
        if (count > MaxHistoryReadingsPerMeter)
        {
            throw new ArgumentException($"History of {count} readings per meter is too long (at most {MaxHistoryReadingsPerMeter}); use a longer interval.", nameof(interval));
        }

        var started = Meters.FirstOrDefault(m => m.HasStarted);
        if (started is not null)
        {
            throw new InvalidOperationException($"History must be generated before the first live read (meter {started.Serial} has been read).");
        }

        lock (_eventsGate)
        {
            if (_events.Count > 0)
            {
                throw new InvalidOperationException("History must be generated before any event is injected.");
            }
        }

        var fromTicks = from.UtcTicks;
        var nowTicks = now.UtcTicks;
        foreach (var meter in Meters)
        {
            meter.Restart(fromTicks);
        }

        // Sub-meters are independent (in parallel); the incomer follows them in lockstep, at most an hour behind,
        // so it finds their recent load in their memory instead of computing it again.
        var readings = Meters.Select(_ => new HistoryReading[count]).ToArray();
        var incomerIndex = Incomer is null ? -1 : IndexOf(Incomer);
        var feeds = Enumerable.Range(0, Meters.Count).Where(i => i != incomerIndex).ToArray();
        var partitions = Partitioner.Create(0, feeds.Length, Math.Max(1, (feeds.Length / Environment.ProcessorCount) + 1));
        var next = 0L;
        foreach (var at in Checkpoints(fromTicks, nowTicks, interval.Ticks))
        {
            var record = at == fromTicks + (next * interval.Ticks) ? next++ : -1;
            Parallel.ForEach(partitions, range =>
            {
                for (var f = range.Item1; f < range.Item2; f++)
                {
                    var energy = Meters[feeds[f]].EnergyAt(at);
                    if (record >= 0)
                    {
                        readings[feeds[f]][record] = new HistoryReading(new DateTimeOffset(at, TimeSpan.Zero), energy);
                    }
                }
            });
            if (incomerIndex >= 0)
            {
                var energy = Meters[incomerIndex].EnergyAt(at);
                if (record >= 0)
                {
                    readings[incomerIndex][record] = new HistoryReading(new DateTimeOffset(at, TimeSpan.Zero), energy);
                }
            }
        }

        var results = Meters.Select((m, i) => new MeterHistory(m.Serial, readings[i])).ToArray();
        return new MallHistory(from, interval, now, results);
    }

    /// <summary>Every reading instant from..now, plus an instant at least every hour between them, and now.</summary>
    private static IEnumerable<long> Checkpoints(long fromTicks, long nowTicks, long intervalTicks)
    {
        var step = Math.Min(intervalTicks, TimeSpan.TicksPerHour);
        for (var reading = fromTicks; reading <= nowTicks; reading += intervalTicks)
        {
            yield return reading;
            var end = Math.Min(reading + intervalTicks, nowTicks + 1);
            for (var between = reading + step; between < end; between += step)
            {
                yield return between;
            }
        }

        yield return nowTicks;
    }

    private int IndexOf(VirtualMeter meter)
    {
        for (var i = 0; i < Meters.Count; i++)
        {
            if (Meters[i] == meter)
            {
                return i;
            }
        }

        return -1;
    }

    private static LoadModel BuildLoad(MeterDefinition m, MallCalendar calendar, Dictionary<LoadFormat, ShapeTable> shapes)
    {
        var profile = FormatProfiles.For(m.Format);
        if (!shapes.TryGetValue(m.Format, out var shape))
        {
            shape = new ShapeTable(profile, calendar);
            shapes.Add(m.Format, shape);
        }

        var peakKw = FormatProfiles.PeakKw(m.Format, (double)m.FloorAreaM2, (double)m.PowerLimitKw);
        var ct = (double)m.CtRatio;
        return new LoadModel(shape, peakKw * 1000.0 / ct, 0.95 * (double)m.PowerLimitKw * 1000.0 / ct, m.Seed, calendar);
    }

    private static void ValidateGateway(GatewayDefinition g)
    {
        if (string.IsNullOrWhiteSpace(g.Name))
        {
            throw new ArgumentException("A gateway needs a name.", nameof(g));
        }

        if (!Enum.IsDefined(g.Transport))
        {
            throw new ArgumentException($"Gateway {g.Name}: unknown transport {g.Transport}.", nameof(g));
        }

        if (g.BaudRate is <= 0 or > 1_000_000)
        {
            throw new ArgumentException($"Gateway {g.Name}: the baud rate must be between 1 and 1,000,000 (got {g.BaudRate}).", nameof(g));
        }

        if (g.Turnaround < TimeSpan.Zero)
        {
            throw new ArgumentException($"Gateway {g.Name}: the turnaround cannot be negative (got {g.Turnaround}).", nameof(g));
        }
    }

    private static void ValidateMeter(MeterDefinition m, MeterKind kind)
    {
        if (string.IsNullOrWhiteSpace(m.Serial))
        {
            throw new ArgumentException("A meter needs a serial.", nameof(m));
        }

        if (m.Phases != kind.Phases)
        {
            throw new ArgumentException($"Meter {m.Serial}: a {kind.Name} meter has {kind.Phases} phase(s), not {m.Phases}.", nameof(m));
        }

        if (!Enum.IsDefined(m.Format))
        {
            throw new ArgumentException($"Meter {m.Serial}: unknown business format {m.Format}.", nameof(m));
        }

        if (m.FloorAreaM2 < 0)
        {
            throw new ArgumentException($"Meter {m.Serial}: the floor area cannot be negative (got {m.FloorAreaM2} m²).", nameof(m));
        }

        if (m.PowerLimitKw <= 0 || m.PowerLimitKw > 100_000)
        {
            throw new ArgumentException($"Meter {m.Serial}: the power limit must be more than 0 and at most 100,000 kW; a negative or zero load is impossible (got {m.PowerLimitKw} kW).", nameof(m));
        }

        if (m.CtRatio < 1 || m.CtRatio > 10_000)
        {
            throw new ArgumentException($"Meter {m.Serial}: the CT ratio must be between 1 and 10,000 (got {m.CtRatio}).", nameof(m));
        }

        if (m.PowerLimitKw / m.CtRatio > 5_000)
        {
            throw new ArgumentException($"Meter {m.Serial}: {m.PowerLimitKw} kW through CT {m.CtRatio} is more than a meter measures (5,000 kW on the secondary side); raise the CT ratio.", nameof(m));
        }

        if (m.OverloadTripDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"Meter {m.Serial}: the overload trip delay cannot be negative (got {m.OverloadTripDelay}).", nameof(m));
        }

        if (m.AutoPressDelay is { } press && press < TimeSpan.Zero)
        {
            throw new ArgumentException($"Meter {m.Serial}: the auto-press delay cannot be negative (got {press}).", nameof(m));
        }

        if (m.OpeningKwh < 0 || m.OpeningKwh >= kind.RegisterCapacityKwh)
        {
            throw new ArgumentException($"Meter {m.Serial}: the opening reading must be between 0 and {kind.RegisterCapacityKwh} kWh (got {m.OpeningKwh}).", nameof(m));
        }

        if (m.OpeningEnergy is { } opening
            && (opening.SharpMilliwattHours < 0 || opening.PeakMilliwattHours < 0 || opening.FlatMilliwattHours < 0 || opening.ValleyMilliwattHours < 0
                || opening.TotalKwh >= kind.RegisterCapacityKwh))
        {
            throw new ArgumentException($"Meter {m.Serial}: the opening registers must not be negative and total under {kind.RegisterCapacityKwh} kWh (got {opening}).", nameof(m));
        }
    }

    private static void ValidateAddress(MeterDefinition m, VirtualGateway gateway)
    {
        if (m.UnitId is { } unit && unit is < 1 or > 247)
        {
            throw new ArgumentException($"Meter {m.Serial}: unit id {unit} is outside 1–247 (0 is broadcast).", nameof(m));
        }

        if (m.Dlt645Address is { } address && (address.Length != 12 || !address.All(char.IsAsciiDigit)))
        {
            throw new ArgumentException($"Meter {m.Serial}: the DL/T 645 address must be 12 decimal digits (got '{address}').", nameof(m));
        }

        if (GatewayTransports.UsesUnitIds(gateway.Transport) && m.UnitId is null)
        {
            throw new ArgumentException($"Meter {m.Serial}: gateway {gateway.Name} is {GatewayTransports.NameOf(gateway.Transport)}, so the meter needs a unit id (1–247).", nameof(m));
        }

        if (GatewayTransports.UsesDlt645Addresses(gateway.Transport) && m.Dlt645Address is null)
        {
            throw new ArgumentException($"Meter {m.Serial}: gateway {gateway.Name} is dlt645-tcp, so the meter needs a 12-digit DL/T 645 address.", nameof(m));
        }

        if (m.UnitId is { } u && gateway.FindUnit(u) is { } other)
        {
            throw new ArgumentException($"Meters {other.Serial} and {m.Serial} are both at unit id {u.ToString(CultureInfo.InvariantCulture)} on gateway {gateway.Name}; two meters cannot share an address on one bus.", nameof(m));
        }

        if (m.Dlt645Address is { } a && gateway.FindAddress(a) is { } same && same.Dlt645Address == a)
        {
            throw new ArgumentException($"Meters {same.Serial} and {m.Serial} both have the DL/T 645 address {a} on gateway {gateway.Name}; two meters cannot share an address on one bus.", nameof(m));
        }
    }

    private static void ValidateFor(VirtualMeter meter, SimulationEvent e)
    {
        if (e.Kind == EventKind.PhaseLoss && meter.Kind.Phases == 1)
        {
            throw new ArgumentException($"A phase loss needs a three-phase meter; {meter.Serial} ({meter.Kind.Name}) is single-phase.", nameof(e));
        }

        if (e.Kind == EventKind.Bypass && !meter.Kind.HasRelay)
        {
            throw new ArgumentException($"A bypass needs a meter with a relay; {meter.Serial} ({meter.Kind.Name}) has none.", nameof(e));
        }
    }

    private sealed record EventRecord(ActiveEvent Event, IReadOnlyList<VirtualMeter> Meters, IReadOnlyList<VirtualGateway> Gateways);
}
