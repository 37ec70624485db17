using System.Diagnostics;
using System.Globalization;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Transport;
using Kilowallet.Simulator;
using Kilowallet.Simulator.Clock;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Wire;

namespace Kilowallet.Bench.Scenarios;

/// <summary>
/// The simulated mall on real sockets: how many virtual meters one process serves when each is polled once a second.
/// N Modbus TCP gateways × 32 KPM31 meters (no wire time: the process, not RS485, is measured), each bus polled by our
/// ModbusMaster over its own connection (one request in flight per bus, as the acquisition does) with a 20-register read
/// per meter per second on a fixed schedule; a poll counts when it is answered within 1 s of its slot. The largest N
/// where at least 99 % count is found by doubling, then bisection. The pollers run in the same process, so the figure is
/// conservative. Then one bus with RS485 wire time at 9600 baud: the measured time to poll its 32 meters once.
/// </summary>
internal sealed class SimulatorWireScenario : IScenario
{
    private const int MetersPerBus = 32;
    private const ushort ReadRegisters = 20;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Slot = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / MetersPerBus);

    public string Name => "simulator-wire";

    public string Description => "virtual meters served over real sockets at 1 read/meter/s (Modbus TCP gateways x 32 meters, >= 99 % on time); RS485 poll cycle";

    public async Task RunAsync(Report report, bool quick, CancellationToken cancellationToken)
    {
        var duration = TimeSpan.FromSeconds(quick ? 3 : 10);
        var maxGateways = 4096; // 3 sockets per bus: within a 20,000 file-descriptor limit
        Trial? best = null;
        var low = 0;
        var high = 0;
        for (var n = quick ? 128 : 16; n <= maxGateways; n *= 2)
        {
            var trial = await RunTrialAsync(n, duration, cancellationToken);
            Note(trial);
            if (!trial.Holds)
            {
                high = n;
                break;
            }

            (best, low) = (trial, n);
        }

        for (var step = 0; step < (quick ? 2 : 4) && high > 0 && high - low > 1; step++)
        {
            var mid = (low + high) / 2;
            var trial = await RunTrialAsync(mid, duration, cancellationToken);
            Note(trial);
            if (trial.Holds)
            {
                (best, low) = (trial, mid);
            }
            else
            {
                high = mid;
            }
        }

        report.Result("max_meters_at_1hz", low * MetersPerBus, "meters");
        report.Result("max_gateways_at_1hz", low, "gateways");
        if (best is not null)
        {
            report.Result("reads_per_second_at_max", best.ReadsPerSecond, "reads/s");
            report.Result("on_time_at_max", best.OnTimeFraction * 100, "%");
            report.Result("p99_latency_at_max", best.P99Milliseconds, "ms");
        }

        var cycle = await PollCycleAsync(cancellationToken);
        report.Result("rs485_poll_cycle_32_meters_9600_baud", cycle.TotalMilliseconds, "ms");
        report.Result("rs485_poll_cycle_32_meters_9600_baud_physical", WireTiming.PollCycle(MetersPerBus, 8, 45, 9600, TimeSpan.FromMilliseconds(20)).TotalMilliseconds, "ms");
    }

    private static void Note(Trial trial) =>
        Report.Note(string.Create(CultureInfo.InvariantCulture, $"{trial.Gateways} gateways ({trial.Gateways * MetersPerBus} meters): {trial.OnTimeFraction:P2} on time, {trial.ReadsPerSecond:0} reads/s, p99 {trial.P99Milliseconds:0.0} ms"));

    private static async Task<Trial> RunTrialAsync(int gateways, TimeSpan duration, CancellationToken cancellationToken)
    {
        var mall = SimulatedMall.Create(Mall(gateways, emulateWireTime: false), SimulationClock.StartingNow(TimeProvider.System, 1));
        await using var servers = await SimulatedMallServers.StartAsync(mall, new WireOptions(), cancellationToken);
        var masters = mall.Gateways.Select(g => ModbusMaster.CreateTcp("127.0.0.1", servers.EndPoints[g.Name].Port, new MasterOptions { ResponseTimeout = Timeout, Retries = 0 })).ToList();
        try
        {
            foreach (var master in masters)
            {
                await master.ReadHoldingRegistersAsync(1, 0, ReadRegisters, cancellationToken); // connect
            }

            var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
            var buses = await Task.WhenAll(masters.Select((m, i) => PollBusAsync(m, start, i, duration, cancellationToken)));
            var latencies = buses.SelectMany(b => b.Latencies).Order().ToArray();
            var onTime = buses.Sum(b => b.OnTime);
            var scheduled = buses.Sum(b => b.Scheduled);
            return new Trial(
                gateways,
                (double)onTime / scheduled,
                onTime / duration.TotalSeconds,
                latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * 0.99))]);
        }
        finally
        {
            foreach (var master in masters)
            {
                await master.DisposeAsync();
            }
        }
    }

    /// <summary>One bus: a 20-register read of the next meter every 1/32 s; a poll already a timeout late is not sent (it failed).</summary>
    private static async Task<Bus> PollBusAsync(ModbusMaster master, long start, int index, TimeSpan duration, CancellationToken cancellationToken)
    {
        var slots = (int)(duration.Ticks / Slot.Ticks);
        var offset = Slot.Ticks * index / 64 % Slot.Ticks; // spread the buses over the slot
        var latencies = new List<double>(slots);
        var onTime = 0;
        for (var k = 0; k < slots; k++)
        {
            var due = start + ((offset + (k * Slot.Ticks)) * Stopwatch.Frequency / TimeSpan.TicksPerSecond);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
            else if (-wait > Timeout)
            {
                continue;
            }

            var result = await master.ReadHoldingRegistersAsync((byte)((k % MetersPerBus) + 1), 0, ReadRegisters, cancellationToken);
            var late = Stopwatch.GetElapsedTime(due);
            latencies.Add(late.TotalMilliseconds);
            if (result.IsSuccess && late <= Timeout)
            {
                onTime++;
            }
        }

        return new Bus(slots, onTime, latencies);
    }

    /// <summary>One bus with wire time at 9600 baud: the best of two rounds of polling its 32 meters back to back.</summary>
    private static async Task<TimeSpan> PollCycleAsync(CancellationToken cancellationToken)
    {
        var mall = SimulatedMall.Create(Mall(1, emulateWireTime: true), SimulationClock.StartingNow(TimeProvider.System, 1));
        await using var servers = await SimulatedMallServers.StartAsync(mall, new WireOptions(), cancellationToken);
        await using var master = ModbusMaster.CreateTcp("127.0.0.1", servers.EndPoints[mall.Gateways[0].Name].Port, new MasterOptions { ResponseTimeout = Timeout, Retries = 0 });
        await master.ReadHoldingRegistersAsync(1, 0, ReadRegisters, cancellationToken);
        var best = TimeSpan.MaxValue;
        for (var round = 0; round < 2; round++)
        {
            var started = Stopwatch.GetTimestamp();
            for (byte unit = 1; unit <= MetersPerBus; unit++)
            {
                var result = await master.ReadHoldingRegistersAsync(unit, 0, ReadRegisters, cancellationToken);
                if (!result.IsSuccess)
                {
                    throw new InvalidOperationException($"Unit {unit}: {result.Describe()}");
                }
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            best = elapsed < best ? elapsed : best;
        }

        return best;
    }

    private static MallDefinition Mall(int gateways, bool emulateWireTime)
    {
        LoadFormat[] formats = [LoadFormat.Apparel, LoadFormat.Restaurant, LoadFormat.Electronics, LoadFormat.Services, LoadFormat.Supermarket];
        var buses = new List<GatewayDefinition>();
        var meters = new List<MeterDefinition>();
        for (var g = 0; g < gateways; g++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"GW-{g + 1:D4}");
            buses.Add(new GatewayDefinition(name, GatewayTransportKind.ModbusTcp) { EmulateWireTime = emulateWireTime });
            for (var u = 1; u <= MetersPerBus; u++)
            {
                var i = (g * MetersPerBus) + u;
                meters.Add(new MeterDefinition(string.Create(CultureInfo.InvariantCulture, $"M{i:D6}"), "kpm31", name, u, null, formats[i % formats.Length], 60, 10, 1, 1, i)
                {
                    OpeningKwh = i,
                });
            }
        }

        return new MallDefinition("Wire bench", buses, meters);
    }

    private sealed record Trial(int Gateways, double OnTimeFraction, double ReadsPerSecond, double P99Milliseconds)
    {
        public bool Holds => OnTimeFraction >= 0.99;
    }

    private sealed record Bus(int Scheduled, int OnTime, List<double> Latencies);
}
