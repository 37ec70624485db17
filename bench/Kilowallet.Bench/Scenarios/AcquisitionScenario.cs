using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Metrics;
using Kilowallet.Simulator;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Wire;
using Microsoft.Extensions.Logging.Abstractions;
using GatewayTransport = Kilowallet.Server.Metering.GatewayTransport;

namespace Kilowallet.Bench.Scenarios;

/// <summary>
/// Our acquisition on emulated RS485: the server's <see cref="GatewayPoller"/>s (its Modbus master, the meter reader, the
/// sample sink into the billing queue) read KPM31 meters through the simulator's RTU-over-TCP gateways, each a 9600-baud
/// bus that answers after the wire time of the exchange. Every meter is due at once (1 s interval, so the bus never
/// idles) and the poll cycle is measured from the energy readings reaching the billing queue.
/// <list type="bullet">
/// <item>bus_cycle_ratio: one 32-meter bus cycle / the physical wire time of the same exchanges (request + reply at 11
/// bits a byte, two t3.5 gaps and the 20 ms turnaround each; the emulator leaves out the gaps).</item>
/// <item>parallel_200_ratio: the mean cycle of 200 such buses polled at once / the cycle of one bus alone.</item>
/// <item>rss_10k_meters_mb: resident memory of this process with 10,000 meters (313 buses) served and polled.</item>
/// </list>
/// </summary>
internal sealed class AcquisitionScenario : IScenario
{
    private const int MetersPerBus = 32;
    private const int Baud = 9600;
    private static readonly TimeSpan Turnaround = TimeSpan.FromMilliseconds(20);

    public string Name => "acquisition";

    public string Description => "our pollers over RTU-over-TCP to 9600-baud emulated buses: 32-meter cycle vs wire time, 200 buses at once, RSS with 10k meters";

    public async Task RunAsync(Report report, bool quick, CancellationToken cancellationToken)
    {
        var profile = MeterProfileCatalog.LoadOrThrow().Get("kpm31");
        var wire = PhysicalCycle(profile);
        var emulated = EmulatedCycle(profile);
        var window = TimeSpan.FromSeconds(quick ? 9 : 30);

        // Memory first, in a process that has not yet run anything else.
        var rss = await RunAsync(profile, 313, TimeSpan.FromSeconds(quick ? 6 : 15), measureMemory: true, cancellationToken);
        Report.Note(string.Create(CultureInfo.InvariantCulture, $"10,016 meters on 313 buses: {rss.Readings} readings ({rss.MetersRead} meters read at least once) in {rss.Elapsed.TotalSeconds:0.0} s, managed heap {rss.ManagedMb:0} MB"));
        report.Result("rss_10k_meters_mb", rss.RssMb, "MB");

        var one = await RunAsync(profile, 1, window, measureMemory: false, cancellationToken);
        Report.Note(string.Create(CultureInfo.InvariantCulture, $"one bus: cycle {one.MeanCycle.TotalMilliseconds:0} ms, physical wire time {wire.TotalMilliseconds:0} ms ({one.Readings} readings)"));
        report.Result("bus_cycle_ms", one.MeanCycle.TotalMilliseconds, "ms");
        report.Result("bus_cycle_wire_ms", wire.TotalMilliseconds, "ms");
        report.Result("bus_cycle_ratio", one.MeanCycle / wire, "x");

        // The emulator answers after the frames and the turnaround (rounded up to whole ms) but not the t3.5 gaps, so a
        // perfect master would reach this: the measured cycle over it is our own overhead.
        report.Result("bus_cycle_emulated_floor_ms", emulated.TotalMilliseconds, "ms");
        report.Result("bus_cycle_overhead_ratio", one.MeanCycle / emulated, "x");

        var many = await RunAsync(profile, 200, window, measureMemory: false, cancellationToken);
        Report.Note(string.Create(CultureInfo.InvariantCulture, $"200 buses: mean cycle {many.MeanCycle.TotalMilliseconds:0} ms, slowest bus {many.WorstCycle.TotalMilliseconds:0} ms ({many.Readings} readings)"));
        report.Result("parallel_200_cycle_ms", many.MeanCycle.TotalMilliseconds, "ms");
        report.Result("parallel_200_ratio", many.MeanCycle / one.MeanCycle, "x");
        report.Result("parallel_200_worst_ratio", many.WorstCycle / one.MeanCycle, "x");
    }

    /// <summary>
    /// One poll of every meter, as our reader does it (each block of the profile, then the relay), on the physical wire:
    /// per exchange (request + reply bytes) × 11 / baud + 2 × t3.5 + turnaround.
    /// </summary>
    private static TimeSpan PhysicalCycle(MeterProfile profile)
    {
        var map = profile.Modbus!;
        var exchanges = MeterReader.Plan(map).Select(b => ReplyBytes(b.Function, b.Count)).ToList();
        if (map.RelayState is { } relay)
        {
            exchanges.Add(ReplyBytes(relay.Function, 1));
        }

        var one = exchanges.Aggregate(TimeSpan.Zero, (sum, reply) => sum + WireTiming.FrameTime(8 + reply, Baud) + WireTiming.T35(Baud) + WireTiming.T35(Baud) + Turnaround);
        return one * MetersPerBus;
    }

    /// <summary>The least time the emulated bus needs for one cycle: each exchange's reply delay, rounded up to whole ms.</summary>
    private static TimeSpan EmulatedCycle(MeterProfile profile)
    {
        var map = profile.Modbus!;
        var replies = MeterReader.Plan(map).Select(b => ReplyBytes(b.Function, b.Count)).ToList();
        if (map.RelayState is { } relay)
        {
            replies.Add(ReplyBytes(relay.Function, 1));
        }

        var one = replies.Aggregate(TimeSpan.Zero, (sum, reply) => sum + TimeSpan.FromMilliseconds(Math.Ceiling(WireTiming.ReplyDelay(8, reply, Baud, Turnaround).TotalMilliseconds)));
        return one * MetersPerBus;
    }

    /// <summary>RTU reply: address, function, byte count, data, CRC.</summary>
    private static int ReplyBytes(ModbusFunction function, int count) =>
        function is ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs ? 5 + ((count + 7) / 8) : 5 + (2 * count);

    private static async Task<Run> RunAsync(MeterProfile profile, int buses, TimeSpan window, bool measureMemory, CancellationToken cancellationToken)
    {
        var mall = SimulatedMall.Create(Mall(buses), TimeProvider.System);
        await using var servers = await SimulatedMallServers.StartAsync(mall, new WireOptions(), cancellationToken);
        var options = new AcquisitionOptions { EnergyIntervalSeconds = 1, Retries = 0 };
        var live = new LiveStateStore(TimeProvider.System);
        var pipeline = new ReadingPipeline();
        var sink = new SampleSink(live, pipeline);
        var metrics = new KilowalletMetrics();
        var busOf = new Dictionary<MeterId, int>();
        var pollers = new List<GatewayPoller>();
        for (var b = 0; b < buses; b++)
        {
            var gateway = mall.Gateways[b];
            var info = new GatewayInfo(new GatewayId(b + 1), gateway.Name, GatewayTransport.RtuOverTcp, "127.0.0.1", servers.EndPoints[gateway.Name].Port, null, Baud, null, 1000);
            var meters = gateway.Meters.Select((m, i) =>
            {
                var id = new MeterId((b * MetersPerBus) + i + 1);
                busOf[id] = b;
                return new MeterContext(id, new SiteId(1), m.Serial, profile, info.Id, m.UnitId, null, null, null, null, MeterPurpose.Tenant, MeterStatus.Active, 1m, 1m, 10m, false);
            }).ToList();
            pollers.Add(new GatewayPoller(info, meters, options, sink, live, metrics, TimeProvider.System, NullLogger.Instance));
        }

        // The billing writer's place: take each energy reading off the queue and note when it came, per bus.
        var arrivals = Enumerable.Range(0, buses).Select(_ => new ConcurrentQueue<long>()).ToArray();
        var seen = new ConcurrentDictionary<MeterId, bool>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var drain = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var sample in pipeline.Reader.ReadAllAsync(stop.Token))
                    {
                        arrivals[busOf[sample.Meter]].Enqueue(Stopwatch.GetTimestamp());
                        seen.TryAdd(sample.Meter, true);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            },
            CancellationToken.None);

        var started = Stopwatch.GetTimestamp();
        var loops = pollers.Select(p => Task.Run(() => p.RunAsync(stop.Token), CancellationToken.None)).ToList();

        // Every meter is due within the first second; after that the buses run back to back.
        var warmUp = TimeSpan.FromSeconds(2);
        await Task.Delay(warmUp + window, cancellationToken);
        if (measureMemory)
        {
            // Memory is measured once every meter has been read at least once (all its state exists).
            var limit = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
            while (seen.Count < busOf.Count && Stopwatch.GetTimestamp() < limit)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        var rssMb = 0.0;
        var managedMb = 0.0;
        if (measureMemory)
        {
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            rssMb = process.WorkingSet64 / (1024.0 * 1024.0);
            managedMb = GC.GetTotalMemory(false) / (1024.0 * 1024.0);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        await drain;
        foreach (var poller in pollers)
        {
            await poller.DisposeAsync();
        }

        var from = started + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var cycles = new List<TimeSpan>();
        var readings = 0;
        foreach (var bus in arrivals)
        {
            readings += bus.Count;
            var times = bus.Where(t => t >= from).ToList();
            if (times.Count > MetersPerBus)
            {
                var span = Stopwatch.GetElapsedTime(times[0], times[^1]);
                cycles.Add(span / (times.Count - 1) * MetersPerBus);
            }
        }

        if (cycles.Count == 0)
        {
            throw new InvalidOperationException($"No bus completed a cycle in {window} ({readings} readings).");
        }

        return new Run(
            TimeSpan.FromTicks((long)cycles.Average(c => c.Ticks)),
            cycles.Max(),
            readings,
            seen.Count,
            elapsed,
            rssMb,
            managedMb);
    }

    private static MallDefinition Mall(int buses)
    {
        LoadFormat[] formats = [LoadFormat.Apparel, LoadFormat.Restaurant, LoadFormat.Electronics, LoadFormat.Services, LoadFormat.Supermarket];
        var gateways = new List<GatewayDefinition>();
        var meters = new List<MeterDefinition>();
        for (var g = 0; g < buses; g++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"RTU-{g + 1:D4}");
            gateways.Add(new GatewayDefinition(name, GatewayTransportKind.RtuOverTcp) { BaudRate = Baud, Turnaround = Turnaround, EmulateWireTime = true });
            for (var u = 1; u <= MetersPerBus; u++)
            {
                var i = (g * MetersPerBus) + u;
                meters.Add(new MeterDefinition(string.Create(CultureInfo.InvariantCulture, $"A{i:D6}"), "kpm31", name, u, null, formats[i % formats.Length], 60, 10, 1, 1, i)
                {
                    OpeningKwh = i % 5_000,
                });
            }
        }

        return new MallDefinition("Acquisition bench", gateways, meters);
    }

    private sealed record Run(TimeSpan MeanCycle, TimeSpan WorstCycle, int Readings, int MetersRead, TimeSpan Elapsed, double RssMb, double ManagedMb);
}
