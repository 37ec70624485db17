using System.Diagnostics;
using Kilowallet.Domain;
using Kilowallet.Server.Demo;
using Kilowallet.Simulator;
using Kilowallet.Simulator.Clock;
using Kilowallet.Simulator.Load;

namespace Kilowallet.Bench.Scenarios;

/// <summary>
/// The simulator's core without sockets: how many virtual-meter reads (advance to now + produce live values) one
/// core sustains over 10,000 meters, the memory one meter takes, and how long three weeks of hourly history for
/// Demo Plaza (120 meters, with the master incomer) takes.
/// </summary>
internal sealed class SimulatorScenario : IScenario
{
    public string Name => "simulator-core";

    public string Description => "virtual-meter reads per second on one core, memory per meter, Demo Plaza history generation";

    public Task RunAsync(Report report, bool quick, CancellationToken cancellationToken)
    {
        var meters = quick ? 2_000 : 10_000;
        var seconds = quick ? 3.0 : 10.0;

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var mall = BuildMall(meters, speed: 60);
        foreach (var meter in mall.Meters)
        {
            meter.Read();
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        report.Result("bytes_per_meter", (after - before) / (double)meters, "B");

        report.Result("reads_per_second", MeasureReads(mall, seconds, cancellationToken), "reads/s");
        report.Result("reads_per_second_at_speed_3600", MeasureReads(BuildMall(meters, speed: 3600), seconds, cancellationToken), "reads/s");
        GC.KeepAlive(mall);

        // Demo Plaza: 3 weeks of hourly readings (120 meters, incomer included), best of a few runs.
        var best = double.MaxValue;
        for (var run = 0; run < (quick ? 3 : 5); run++)
        {
            var plaza = SimulatedMall.Create(DemoPlazaDefinition(), new SimulationClock(TimeProvider.System, new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.FromHours(8)), 1));
            var watch = Stopwatch.StartNew();
            plaza.GenerateHistory(plaza.Now.AddDays(-21), TimeSpan.FromHours(1));
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }

        report.Result("demo_plaza_3_weeks_hourly_history", best, "ms");
        return Task.CompletedTask;
    }

    /// <summary>Round-robin reads of every meter for <paramref name="seconds"/> on this thread; reads per second.</summary>
    private static double MeasureReads(SimulatedMall mall, double seconds, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        long reads = 0;
        var limit = TimeSpan.FromSeconds(seconds);
        var meters = mall.Meters;
        while (watch.Elapsed < limit && !cancellationToken.IsCancellationRequested)
        {
            for (var i = 0; i < meters.Count; i++)
            {
                meters[i].Read();
            }

            reads += meters.Count;
        }

        return reads / watch.Elapsed.TotalSeconds;
    }

    /// <summary>N single- and three-phase meters of mixed kinds and formats on Modbus buses of 200 meters.</summary>
    private static SimulatedMall BuildMall(int count, double speed)
    {
        string[] kinds = ["kpm31", "sdm120", "ddsu666", "kpm31", "dtsu666", "sdm630"];
        LoadFormat[] formats = [LoadFormat.Apparel, LoadFormat.Restaurant, LoadFormat.Electronics, LoadFormat.Services, LoadFormat.Supermarket];
        var gateways = new List<GatewayDefinition>();
        var meters = new List<MeterDefinition>();
        for (var i = 0; i < count; i++)
        {
            if (i % 200 == 0)
            {
                gateways.Add(new GatewayDefinition($"G{i / 200}", GatewayTransportKind.ModbusTcp));
            }

            var kind = kinds[i % kinds.Length];
            var threePhase = kind is "dtsu666" or "sdm630";
            meters.Add(new MeterDefinition($"M{i}", kind, $"G{i / 200}", (i % 200) + 1, null, formats[i % formats.Length],
                threePhase ? 400 : 60, threePhase ? 80 : 10, 1, threePhase ? 3 : 1, i));
        }

        var clock = new SimulationClock(TimeProvider.System, new DateTimeOffset(2026, 7, 15, 9, 0, 0, TimeSpan.FromHours(8)), speed);
        return SimulatedMall.Create(new MallDefinition("bench", gateways, meters), clock);
    }

    /// <summary>Demo Plaza as the server will describe it to the simulator (formats of public circuits by unit).</summary>
    private static MallDefinition DemoPlazaDefinition()
    {
        var gateways = DemoPlaza.Gateways.Select(g => new GatewayDefinition(g.Name, g.Transport switch
        {
            Kilowallet.Server.Metering.GatewayTransport.RtuOverTcp => GatewayTransportKind.RtuOverTcp,
            Kilowallet.Server.Metering.GatewayTransport.Dlt645Tcp => GatewayTransportKind.Dlt645Tcp,
            Kilowallet.Server.Metering.GatewayTransport.Mqtt => GatewayTransportKind.Mqtt,
            _ => GatewayTransportKind.ModbusTcp,
        })).ToList();
        var meters = DemoPlaza.Shops.Select((s, i) => new MeterDefinition(s.MeterSerial, s.ProfileName, s.GatewayName, s.UnitId, s.Dlt645Address,
            s.Format switch
            {
                BusinessFormat.Supermarket => LoadFormat.Supermarket,
                BusinessFormat.Restaurant => LoadFormat.Restaurant,
                BusinessFormat.Apparel => LoadFormat.Apparel,
                BusinessFormat.Electronics => LoadFormat.Electronics,
                BusinessFormat.Cinema => LoadFormat.Cinema,
                BusinessFormat.Services => LoadFormat.Services,
                BusinessFormat.PublicArea => s.UnitNumber switch
                {
                    "PUB-MAIN" => LoadFormat.MasterIncomer,
                    "PUB-HVAC" => LoadFormat.CentralAirConditioning,
                    "PUB-ESC" => LoadFormat.EscalatorsAndLifts,
                    _ => LoadFormat.PublicLighting,
                },
                _ => LoadFormat.Other,
            },
            s.FloorAreaM2, s.PowerLimitKw ?? 10m, s.CtRatio, s.PhaseCount, i + 1)).ToList();
        return new MallDefinition(DemoPlaza.SiteName, gateways, meters) { TimeZone = DemoPlaza.TimeZone };
    }
}
