using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Kilowallet.Simulator.Meters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kilowallet.Server.Tests.Acquisition;

/// <summary>
/// Automatic meter reading end to end: the real server polls the simulated mall over real sockets (Modbus TCP,
/// Modbus RTU over TCP, DL/T 645 and 4G meters on MQTT) while the test moves the shared clock five minutes at a
/// time (the simulation runs as fast as the server keeps up). Between two steps time stands still, so every stored
/// reading can be compared with the virtual meter's registers at that very instant. The money is checked against a
/// price worked out here from the plan's band prices: the meter's own band registers where the server trusts them,
/// the plan's band of each five-minute interval for a meter with only a total register.
/// </summary>
public sealed class AcquisitionEndToEndTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    // Wednesday 4 March 2026, 09:00 in Shanghai: a working day, so the weekday schedule applies.
    private static readonly DateTimeOffset Start = new(2026, 3, 4, 9, 0, 0, TimeSpan.FromHours(8));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every band priced (four decimals, so an exact fen is rare): flat to 10:00, peak to 11:00, sharp to 12:00.</summary>
    private static TariffPlan Plan() => new("TOU-AMR", "TOU for the AMR test", "CNY",
    [
        new TariffVersion(1, new DateOnly(2026, 1, 1), new BandPrices(Sharp: 1.4413m, Peak: 1.2077m, Flat: 0.7031m, Valley: 0.3512m),
        [
            new Season("All year", 1, 12,
            [
                TariffPeriod.Of("23:00", "07:00", TariffBand.Valley),
                TariffPeriod.Of("07:00", "10:00", TariffBand.Flat),
                TariffPeriod.Of("10:00", "11:00", TariffBand.Peak),
                TariffPeriod.Of("11:00", "12:00", TariffBand.Sharp),
                TariffPeriod.Of("12:00", "23:00", TariffBand.Flat),
            ]),
        ]),
    ]);

    private static IReadOnlyList<ControlMall.Spec> Meters =>
    [
        new("K1", "kpm31", ControlMall.ModbusGateway, Unit: 1),
        new("K2", "kpm31", ControlMall.ModbusGateway, Unit: 2) { Format = Simulator.Load.LoadFormat.Restaurant },
        new("R1", "sdm120", ControlMall.RtuGateway, Unit: 1) { Format = Simulator.Load.LoadFormat.Apparel },
        new("R2", "kpm31", ControlMall.RtuGateway, Unit: 2) { Format = Simulator.Load.LoadFormat.Electronics },
        new("D1", "dlt645", ControlMall.DltGateway, Address: "000000000001"),
    ];

    private static Dictionary<string, string?> Settings => new()
    {
        ["Acquisition:EnergyIntervalSeconds"] = "300",
        ["Acquisition:Retries"] = "1",
    };

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Stored_readings_equal_the_meters_registers_and_the_charges_equal_the_price_of_the_energy(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        await using var mall = await ControlMall.StartAsync(
            provider, Meters, Settings, serverClock: clock, mallClock: clock, openingBalance: 10_000m, plan: Plan(), mqtt: true, telemetryInterval: Step);
        var registers = Serials(mall).ToDictionary(s => s, _ => new Dictionary<DateTimeOffset, EnergyRegisters>());

        // 09:00 → 12:00: three hours in 36 steps, through the flat, peak and sharp bands.
        for (var step = 0; step <= 36; step++)
        {
            if (step > 0)
            {
                clock.Advance(Step);
            }

            await UntilEveryMeterIsReadAsync(mall, registers, step > 0);
        }

        var readings = await ReadingsAsync(mall);
        foreach (var serial in Serials(mall))
        {
            var stored = readings[serial];
            Assert.True(stored.Count >= 36, $"{serial}: {stored.Count} readings");
            Assert.Equal(clock.GetUtcNow(), stored[^1].At);
            AssertRegistersStored(serial, stored, registers[serial], Resolution(mall, serial));
        }

        await AssertChargesAsync(mall, readings, registers);
        Assert.Empty(await QuarantinesAsync(mall));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_server_stopped_in_the_middle_of_acquisition_loses_no_interval_and_bills_none_twice(string provider)
    {
        // The embedded broker comes back on the same port, where the 4G meter reconnects.
        var settings = Settings;
        settings["Mqtt:EmbeddedPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var clock = new FakeTimeProvider(Start);
        await using var mall = await ControlMall.StartAsync(
            provider, Meters, settings, serverClock: clock, mallClock: clock, openingBalance: 10_000m, plan: Plan(), mqtt: true, telemetryInterval: Step);
        var registers = Serials(mall).ToDictionary(s => s, _ => new Dictionary<DateTimeOffset, EnergyRegisters>());
        for (var step = 0; step <= 6; step++)
        {
            if (step > 0)
            {
                clock.Advance(Step);
            }

            await UntilEveryMeterIsReadAsync(mall, registers, step > 0);
        }

        // Three times: stop while the pollers are reading and the billing writer is writing (what was queued is lost,
        // not drained), stay down for ten minutes of meter time, start again on the same database. The downtime never
        // spans a change of band (09:35–09:45, 10:20–10:30, 11:05–11:15), so each interval has one price.
        for (var stop = 0; stop < 3; stop++)
        {
            clock.Advance(Step);
            Record(mall, registers);
            await mall.RestartAsync(_ =>
            {
                clock.Advance(TimeSpan.FromMinutes(10));
                Record(mall, registers);
                return Task.CompletedTask;
            });
            for (var step = 0; step < 6; step++)
            {
                clock.Advance(Step);
                await UntilEveryMeterIsReadAsync(mall, registers, required: true);
            }
        }

        var readings = await ReadingsAsync(mall);
        await using (var scope = mall.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            var usage = await db.UsageHourly.AsNoTracking().ToListAsync(Ct);
            foreach (var serial in Serials(mall))
            {
                var stored = readings[serial];
                AssertRegistersStored(serial, stored, registers[serial], Resolution(mall, serial));

                // Contiguous: the billed energy is exactly the register's advance from the first stored reading to the
                // last (every interval between two consecutive stored readings billed once, none twice, none lost).
                var id = mall[serial].Id;
                var billed = usage.Where(u => u.MeterId == id).Sum(u => u.EnergyWh);
                Assert.Equal(EnergyOf(stored[^1], mall, serial) - EnergyOf(stored[0], mall, serial), billed);
                Assert.Equal(stored.Count, stored.Select(r => r.At).Distinct().Count());
            }
        }

        await AssertChargesAsync(mall, readings, registers);
        Assert.Empty(await QuarantinesAsync(mall));
    }

    private static IEnumerable<string> Serials(ControlMall mall) => mall.Meters.Keys.Order(StringComparer.Ordinal);

    private static decimal Resolution(ControlMall mall, string serial) => mall[serial].Virtual.Kind.EnergyResolutionKwh;

    private static bool UsesBands(ControlMall mall, string serial) => mall[serial].Virtual.Kind.Name is "kpm31" or "kpm37" or "dlt645";

    /// <summary>The energy the server bills from a reading: the sum of the bands when it trusts the meter's band registers.</summary>
    private static long EnergyOf(MeterReadingRecord reading, ControlMall mall, string serial) =>
        UsesBands(mall, serial) ? reading.SharpWh!.Value + reading.PeakWh!.Value + reading.FlatWh!.Value + reading.ValleyWh!.Value : reading.EnergyWh;

    /// <summary>The registers of every virtual meter now (time stands still until the test moves it).</summary>
    private static void Record(ControlMall mall, Dictionary<string, Dictionary<DateTimeOffset, EnergyRegisters>> registers)
    {
        foreach (var (serial, installed) in mall.Meters)
        {
            var reading = installed.Virtual.Read();
            registers[serial][reading.At] = reading.Registers;
        }
    }

    /// <summary>Records the registers now; when required, waits until every meter has a stored reading at this instant.</summary>
    private static async Task UntilEveryMeterIsReadAsync(ControlMall mall, Dictionary<string, Dictionary<DateTimeOffset, EnergyRegisters>> registers, bool required)
    {
        Record(mall, registers);
        if (!required)
        {
            // The start: pollers read each meter first within the first interval; the 4G meter's first message came
            // before it was installed, so it first counts at its next one.
            return;
        }

        var clock = mall.Services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        var polled = mall.Meters.Select(m => m.Value.Id).ToList();
        await Eventually.UntilAsync(
            async () =>
            {
                await using var scope = mall.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
                var at = await db.Readings.AsNoTracking().Where(r => polled.Contains(r.MeterId)).Select(r => new { r.MeterId, r.At }).ToListAsync(Ct);
                return polled.All(id => at.Any(r => r.MeterId == id && r.At == now));
            },
            $"every meter to be read and stored at {now:O}",
            TimeSpan.FromSeconds(30));
    }

    private static async Task<Dictionary<string, List<MeterReadingRecord>>> ReadingsAsync(ControlMall mall)
    {
        await using var scope = mall.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var all = await db.Readings.AsNoTracking().ToListAsync(Ct);
        return mall.Meters.ToDictionary(m => m.Key, m => all.Where(r => r.MeterId == m.Value.Id).OrderBy(r => r.At).ToList());
    }

    private static async Task<List<QuarantinedInterval>> QuarantinesAsync(ControlMall mall)
    {
        await using var scope = mall.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KilowalletDb>().QuarantinedIntervals.AsNoTracking().ToListAsync(Ct);
    }

    /// <summary>Each stored reading holds exactly what the meter's registers showed at its instant, in Wh.</summary>
    private static void AssertRegistersStored(string serial, List<MeterReadingRecord> stored, Dictionary<DateTimeOffset, EnergyRegisters> registers, decimal resolutionKwh)
    {
        foreach (var reading in stored)
        {
            Assert.True(registers.TryGetValue(reading.At, out var shown), $"{serial}: a reading at {reading.At:O}, when the test did not stop the clock");
            Assert.Equal(Wh(shown.TotalKwh), reading.EnergyWh);
            Assert.Equal(0, reading.EnergyWh % Wh(resolutionKwh));
            if (reading.SharpWh is not null)
            {
                Assert.Equal(
                    [Wh(shown.SharpKwh), Wh(shown.PeakKwh), Wh(shown.FlatKwh), Wh(shown.ValleyKwh)],
                    new[] { reading.SharpWh!.Value, reading.PeakWh!.Value, reading.FlatWh!.Value, reading.ValleyWh!.Value });
            }
        }
    }

    /// <summary>
    /// Posted (ledger, whole fen) + carried + accrued charges of each meter's account equal the price computed here:
    /// the advance of each band register times its price for meters whose bands the server trusts, else each
    /// interval's advance of the total register times the price of the plan's band in that interval.
    /// </summary>
    private static async Task AssertChargesAsync(ControlMall mall, Dictionary<string, List<MeterReadingRecord>> readings, Dictionary<string, Dictionary<DateTimeOffset, EnergyRegisters>> registers)
    {
        var prices = Plan().Versions[0].Prices;
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        await using var scope = mall.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        foreach (var serial in Serials(mall))
        {
            var instants = readings[serial].Select(r => r.At).ToList();
            var shown = instants.Select(at => registers[serial][at]).ToList();
            var expected = 0m;
            if (UsesBands(mall, serial))
            {
                var (first, last) = (shown[0], shown[^1]);
                expected = ((last.SharpKwh - first.SharpKwh) * prices.Sharp!.Value)
                    + ((last.PeakKwh - first.PeakKwh) * prices.Peak!.Value)
                    + ((last.FlatKwh - first.FlatKwh) * prices.Flat!.Value)
                    + ((last.ValleyKwh - first.ValleyKwh) * prices.Valley!.Value);
            }
            else
            {
                for (var i = 1; i < shown.Count; i++)
                {
                    var hour = TimeZoneInfo.ConvertTime(instants[i - 1], zone).Hour;
                    Assert.Equal(hour, TimeZoneInfo.ConvertTime(instants[i] - TimeSpan.FromTicks(1), zone).Hour);
                    var price = hour switch
                    {
                        >= 10 and < 11 => prices.Peak!.Value,
                        >= 11 and < 12 => prices.Sharp!.Value,
                        >= 7 and < 23 => prices.Flat!.Value,
                        _ => prices.Valley!.Value,
                    };
                    expected += (shown[i].TotalKwh - shown[i - 1].TotalKwh) * price;
                }
            }

            Assert.True(expected > 0, $"{serial} used no energy");
            var account = db.Accounts.AsNoTracking().Single(a => a.Id == mall[serial].Account);
            var wallet = await db.LedgerAccounts.AsNoTracking().Where(l => l.AccountId == account.Id).Select(l => l.BalanceMinor).SingleAsync(Ct);
            var charged = ((10_000_00L - wallet) * (MoneyPrecision.ToPicoUnits(Money.Yuan(1m)) / 100)) + account.AccruedPico + account.CarryPico;
            Assert.Equal(MoneyPrecision.ToPicoUnits(Money.Yuan(expected)), charged);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static long Wh(decimal kwh) => decimal.ToInt64(kwh * 1000m);
}
