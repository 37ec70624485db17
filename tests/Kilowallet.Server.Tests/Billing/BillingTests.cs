using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kilowallet.Server.Tests.Billing;

/// <summary>
/// The billing pipeline against a real database: readings stored once, rated at the tariff in force,
/// accrued exactly, posted in cents with the carry, duplicates and older readings never billed twice.
/// </summary>
public sealed class BillingTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TariffPlan FlatPlan(decimal price = 1.00m) => new("FLAT-TEST", "Flat", "CNY",
    [
        new TariffVersion(1, new DateOnly(2026, 1, 1), new BandPrices(Flat: price), [new Season("All year", 1, 12, [new TariffPeriod(new TimeOnly(0, 0), new TimeOnly(0, 0), TariffBand.Flat)])]),
    ]);

    private static async Task<(long AccruedPico, long CarryPico, long WalletMinor)> MoneyOfAsync(IServiceProvider services, AccountId account)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var row = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == account, Ct);
        var wallet = await db.LedgerAccounts.AsNoTracking().Where(l => l.AccountId == account).Select(l => (long?)l.BalanceMinor).SingleOrDefaultAsync(Ct);
        return (row.AccruedPico, row.CarryPico, wallet ?? 0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Three_hours_of_minute_readings_are_rated_accrued_and_posted_to_the_exact_fen(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, FlatPlan(1.2345m));
        var meter = made.Meters[0];
        var biller = app.Services.GetRequiredService<ReadingBiller>();

        // 181 readings, 17 Wh a minute: 3,060 Wh over three hours at 1.2345 CNY/kWh = 3.777570 CNY exactly.
        var samples = Enumerable.Range(0, 181).Select(i => BillingSetup.Reading(meter, Start.AddMinutes(i), 1_000_000 + (17L * i))).ToList();
        var outcome = await biller.ApplyAsync(samples, Ct);
        Assert.Equal(181, outcome.Stored);
        Assert.Equal(180, outcome.Rated);

        var (accrued, carry, wallet) = await MoneyOfAsync(app.Services, made.Account);
        Assert.Equal(MoneyPrecision.ToPicoUnits(Money.Yuan(3.777570m)), accrued + carry);
        Assert.Equal(0, wallet);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            var buckets = await db.UsageHourly.AsNoTracking().Where(u => u.MeterId == meter).OrderBy(u => u.HourStart).ToListAsync(Ct);
            Assert.Equal([1020L, 1020L, 1020L], buckets.Select(b => b.EnergyWh));
            Assert.All(buckets, b => Assert.Equal(0, b.EstimatedWh));
        }

        // Every closed hour is posted in whole fen; the remainder stays as carry; the available balance does not move.
        var posted = await app.Services.GetRequiredService<ChargePoster>().PostChargesAsync(Ct);
        Assert.Equal(3, posted);
        var after = await MoneyOfAsync(app.Services, made.Account);
        Assert.Equal(0, after.AccruedPico);
        Assert.Equal(-377, after.WalletMinor);
        Assert.Equal(MoneyPrecision.ToPicoUnits(Money.Yuan(0.007570m)), after.CarryPico);
        Assert.Empty(await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Duplicate_and_out_of_order_readings_are_stored_once_and_billed_once(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, FlatPlan());
        var meter = made.Meters[0];
        var biller = app.Services.GetRequiredService<ReadingBiller>();
        var first = await biller.ApplyAsync([BillingSetup.Reading(meter, Start, 5_000), BillingSetup.Reading(meter, Start.AddMinutes(10), 6_000)], Ct);
        Assert.Equal(1, first.Rated);

        // An MQTT redelivery of both, an older reading arriving late, and the next one twice in one batch.
        var second = await biller.ApplyAsync(
        [
            BillingSetup.Reading(meter, Start, 5_000), BillingSetup.Reading(meter, Start.AddMinutes(10), 6_000),
            BillingSetup.Reading(meter, Start.AddMinutes(5), 5_500),
            BillingSetup.Reading(meter, Start.AddMinutes(20), 7_000), BillingSetup.Reading(meter, Start.AddMinutes(20), 7_000),
        ], Ct);
        Assert.Equal(3, second.Duplicates);
        Assert.Equal(1, second.Ignored);
        Assert.Equal(1, second.Rated);

        var (accrued, carry, _) = await MoneyOfAsync(app.Services, made.Account);
        Assert.Equal(MoneyPrecision.ToPicoUnits(Money.Yuan(2.000m)), accrued + carry);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(4, await scope.ServiceProvider.GetRequiredService<KilowalletDb>().Readings.CountAsync(r => r.MeterId == meter, Ct));
    }

    [Fact]
    public async Task A_register_going_backwards_is_quarantined_not_charged_and_rating_continues_from_the_new_start()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, FlatPlan());
        var meter = made.Meters[0];
        var biller = app.Services.GetRequiredService<ReadingBiller>();
        var outcome = await biller.ApplyAsync(
        [
            BillingSetup.Reading(meter, Start, 900_000),
            BillingSetup.Reading(meter, Start.AddMinutes(1), 901_000),
            BillingSetup.Reading(meter, Start.AddMinutes(2), 3_000),
            BillingSetup.Reading(meter, Start.AddMinutes(3), 3_500),
        ], Ct);
        Assert.Equal(1, outcome.Quarantined);

        var (accrued, carry, _) = await MoneyOfAsync(app.Services, made.Account);
        Assert.Equal(MoneyPrecision.ToPicoUnits(Money.Yuan(1.5m)), accrued + carry);
        await using var scope = app.Services.CreateAsyncScope();
        var quarantine = await scope.ServiceProvider.GetRequiredService<KilowalletDb>().QuarantinedIntervals.SingleAsync(q => q.MeterId == meter, Ct);
        Assert.Equal(QuarantineReason.RegisterWentBackwards, quarantine.Reason);
        Assert.Equal(901_000, quarantine.FromScaledWh);
        Assert.Equal(3_000, quarantine.ToScaledWh);
        var alarm = await scope.ServiceProvider.GetRequiredService<KilowalletDb>().Alarms.SingleAsync(a => a.SourceId == meter.Value, Ct);
        Assert.Equal(Domain.Safety.AlarmType.RegisterWentBackwards, alarm.Type);
        Assert.Null(alarm.ClearedAt);
    }

    [Fact]
    public async Task Thirty_offline_hours_are_spread_evenly_marked_estimated_and_never_spike()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, FlatPlan());
        var meter = made.Meters[0];
        var biller = app.Services.GetRequiredService<ReadingBiller>();
        await biller.ApplyAsync([BillingSetup.Reading(meter, Start, 10_000), BillingSetup.Reading(meter, Start.AddHours(30), 10_000 + 30_000)], Ct);

        await using var scope = app.Services.CreateAsyncScope();
        var buckets = await scope.ServiceProvider.GetRequiredService<KilowalletDb>().UsageHourly.AsNoTracking().Where(u => u.MeterId == meter).ToListAsync(Ct);
        Assert.Equal(30, buckets.Count);
        Assert.All(buckets, b => Assert.Equal(1_000, b.EnergyWh));
        Assert.All(buckets, b => Assert.Equal(b.EnergyWh, b.EstimatedWh));
        Assert.Equal(30_000, buckets.Sum(b => b.EnergyWh));
    }

    [Fact]
    public async Task CT_ratio_multiplies_energy_and_the_hourly_split_of_a_TOU_day_matches_the_domain_rater()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database);
        var plan = ExamplePlans.CommercialTimeOfUse();
        var made = await BillingSetup.MakeAsync(app.Services, plan, ctRatio: 40m);
        var meter = made.Meters[0];
        var biller = app.Services.GetRequiredService<ReadingBiller>();

        // A day of readings every 15 minutes, 5 Wh per reading on the register = 200 Wh primary.
        var samples = Enumerable.Range(0, 97).Select(i => BillingSetup.Reading(meter, Start.AddMinutes(15 * i), 100 + (5L * i))).ToList();
        biller.ExpectedReadingInterval = TimeSpan.FromMinutes(15);
        await biller.ApplyAsync(samples, Ct);

        var rater = new TariffRater(TariffTimeline.For(plan), SiteCalendar.For("Asia/Shanghai"));
        var expected = Enumerable.Range(0, 96)
            .Select(i => rater.Rate(new RatingRequest(Start.AddMinutes(15 * i), Start.AddMinutes(15 * (i + 1)), 200, 200L * i), new RatingPolicy(TimeSpan.FromMinutes(15))))
            .SelectMany(r => r.Slices)
            .GroupBy(s => s.Band)
            .ToDictionary(g => g.Key, g => (Energy: g.Sum(s => s.EnergyWh), Amount: g.Sum(s => s.Amount.Amount)));
        await using var scope = app.Services.CreateAsyncScope();
        var actual = (await scope.ServiceProvider.GetRequiredService<KilowalletDb>().UsageHourly.AsNoTracking().Where(u => u.MeterId == meter).ToListAsync(Ct))
            .GroupBy(u => u.Band)
            .ToDictionary(g => g.Key, g => (Energy: g.Sum(u => u.EnergyWh), Amount: MoneyPrecision.FromPicoUnits(g.Sum(u => u.AmountPico)).Amount));
        Assert.Equal(19_200, actual.Values.Sum(v => v.Energy));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var band in expected.Keys)
        {
            Assert.Equal(expected[band], actual[band]);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_nodes_rating_the_same_readings_at_once_bill_each_interval_once(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, FlatPlan(), meters: 3);
        var nodes = Enumerable.Range(0, 2).Select(_ => new ReadingBiller(
            app.Services.GetRequiredService<StorageConnections>(),
            app.Services.GetRequiredService<MeterDirectory>(),
            app.Services.GetRequiredService<TariffCatalog>(),
            app.Services.GetRequiredService<BalanceService>(),
            app.Services.GetRequiredService<Kilowallet.Server.Alarms.AlarmService>(),
            TimeProvider.System,
            NullLogger<ReadingBiller>.Instance)).ToList();
        var samples = made.Meters.SelectMany(m => Enumerable.Range(0, 60).Select(i => BillingSetup.Reading(m, Start.AddMinutes(i), 1_000 + (10L * i)))).ToList();

        // Both nodes receive every reading (a broker redelivering to two subscribers), in batches of 30, at the same time.
        await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            foreach (var chunk in samples.Chunk(30))
            {
                await node.ApplyAsync(chunk, Ct);
            }
        })));

        var (accrued, carry, _) = await MoneyOfAsync(app.Services, made.Account);
        Assert.Equal(MoneyPrecision.ToPicoUnits(Money.Yuan(3 * 0.590m)), accrued + carry);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(3 * 590, await scope.ServiceProvider.GetRequiredService<KilowalletDb>().UsageHourly.SumAsync(u => u.EnergyWh, Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_nodes_posting_the_same_charges_at_once_post_each_bucket_once(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = new List<BillingSetup.Made>();
        for (var i = 0; i < 4; i++)
        {
            made.Add(await BillingSetup.MakeAsync(app.Services, FlatPlan(), meters: 2));
        }

        // Each pass posts many accounts per transaction; a node that loses the race for a bucket must roll back and
        // post account by account, skipping only what the other node posted.
        var nodes = Enumerable.Range(0, 2).Select(_ => new ChargePoster(
            app.Services.GetRequiredService<StorageConnections>(),
            new LedgerWriter(TimeProvider.System),
            new BalanceService(TimeProvider.System),
            app.Services.GetRequiredService<TariffCatalog>(),
            TimeProvider.System,
            NullLogger<ChargePoster>.Instance)).ToList();
        var biller = app.Services.GetRequiredService<ReadingBiller>();
        var entries = 0;
        for (var hour = 0; hour < 3; hour++)
        {
            // An hour of readings (10 Wh a minute at 1 CNY/kWh: 0.60 CNY per meter and hour, in whole fen).
            var samples = made.SelectMany(m => m.Meters).SelectMany(meter => Enumerable.Range((hour * 60) + 1, 60)
                .Select(i => BillingSetup.Reading(meter, Start.AddMinutes(i), 1_000 + (10L * i)))).ToList();
            if (hour == 0)
            {
                samples.AddRange(made.SelectMany(m => m.Meters).Select(meter => BillingSetup.Reading(meter, Start, 1_000)));
            }

            await biller.ApplyAsync(samples, Ct);
            var posted = await Task.WhenAll(nodes.Select(node => Task.Run(() => node.PostChargesAsync(Ct), Ct)));
            entries += posted.Sum();
        }

        // 4 accounts × 2 meters × 3 closed hours, each posted once, whichever node posted it.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var charges = await db.LedgerEntries.AsNoTracking().Where(e => e.MeterId != null).Select(e => e.IdempotencyKey).ToListAsync(Ct);
        Assert.Equal(4 * 2 * 3, charges.Count);
        Assert.Equal(charges.Count, charges.Distinct().Count());
        Assert.InRange(entries, 1, charges.Count);
        foreach (var each in made)
        {
            Assert.Equal((0L, 0L, -2 * 3 * 60L), await MoneyOfAsync(app.Services, each.Account));
        }

        Assert.Empty(await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(Ct));
    }

    [Fact]
    public async Task Impossible_values_are_rejected_with_a_reason_and_never_stored_as_readings()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, FlatPlan());
        var meter = made.Meters[0];
        var good = BillingSetup.Reading(meter, Start, 1_000);
        var outcome = await app.Services.GetRequiredService<ReadingBiller>().ApplyAsync(
        [
            good,
            good with { At = Start.AddMinutes(1), Live = good.Live with { VoltageA = 10_000 } },
            good with { At = Start.AddMinutes(2), Live = good.Live with { PowerFactor = double.NaN } },
            good with { At = Start.AddMinutes(3), EnergyWh = -5 },
        ], Ct);
        Assert.Equal(3, outcome.Rejected);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        Assert.Equal(1, await db.Readings.CountAsync(r => r.MeterId == meter, Ct));
        var reasons = await db.RejectedReadings.Where(r => r.MeterId == meter).Select(r => r.Reason).ToListAsync(Ct);
        Assert.Contains(reasons, r => r.StartsWith("voltage A 10000", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("power factor NaN", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("negative energy", StringComparison.Ordinal));
        var alarm = await db.Alarms.SingleAsync(a => a.SourceId == meter.Value, Ct);
        Assert.Equal(Domain.Safety.AlarmType.ImpossibleReading, alarm.Type);
        Assert.Equal(3, alarm.Occurrences);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Fixed_charges_post_once_per_local_day_and_never_before_the_account_opened(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var plan = new TariffPlan("FIXED-TEST", "Flat with fees", "CNY",
        [
            new TariffVersion(1, new DateOnly(2026, 1, 1), new BandPrices(Flat: 1m), [new Season("All year", 1, 12, [new TariffPeriod(new TimeOnly(0, 0), new TimeOnly(0, 0), TariffBand.Flat)])],
                FixedCharges: [new FixedCharge("Service", 2.50m, FixedChargeBasis.Day), new FixedCharge("Meter rent", 31.00m, FixedChargeBasis.Month)]),
        ]);
        var made = await BillingSetup.MakeAsync(app.Services, plan);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            var account = await db.Accounts.SingleAsync(a => a.Id == made.Account, Ct);
            account.OpenedAt = new DateTimeOffset(2026, 3, 10, 0, 30, 0, TimeSpan.FromHours(8)); // 9 March in UTC, 10 March in Shanghai
            await db.SaveChangesAsync(Ct);
        }

        var poster = app.Services.GetRequiredService<ChargePoster>();
        Assert.Equal(0, await poster.PostFixedChargesAsync(new DateOnly(2026, 3, 9), Ct));
        Assert.Equal(2, await poster.PostFixedChargesAsync(new DateOnly(2026, 3, 10), Ct));
        Assert.Equal(0, await poster.PostFixedChargesAsync(new DateOnly(2026, 3, 10), Ct));

        // 2.50 a day plus 31.00 spread over March's 31 days: exactly 1.00 on the 10th.
        var (_, _, wallet) = await MoneyOfAsync(app.Services, made.Account);
        Assert.Equal(-3_50, wallet);
        Assert.Empty(await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_operator_charges_a_quarantined_interval_once_and_its_alarm_clears(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, FlatPlan(1.2345m));
        var meter = made.Meters[0];
        var biller = app.Services.GetRequiredService<ReadingBiller>();
        await biller.ApplyAsync([BillingSetup.Reading(meter, Start, 900_000), BillingSetup.Reading(meter, Start.AddMinutes(90), 3_000)], Ct);
        using var api = await app.CreateUserClientAsync(Kilowallet.Server.Auth.Roles.Operator);
        var open = await api.GetFromJsonAsync<JsonElement>($"/api/v1/quarantined-intervals?meterId={meter.Value}", Ct);
        var id = open.GetProperty("items")[0].GetProperty("id").GetInt64();

        var invalid = await api.PostAsJsonAsync($"/api/v1/quarantined-intervals/{id}/resolve", new { action = "charge", reason = "meter replaced" }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, invalid.StatusCode);

        // The old meter's last reading was 901.2 kWh and the new one started at 2.5: 1.2 + 0.5 kWh used, spread over the 90 minutes.
        var charged = await api.PostAsJsonAsync($"/api/v1/quarantined-intervals/{id}/resolve", new { action = "charge", energyKwh = 1.7m, reason = "meter replaced; old meter read 901.2" }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, charged.StatusCode);
        var (accrued, carry, _) = await MoneyOfAsync(app.Services, made.Account);
        Assert.Equal(MoneyPrecision.ToPicoUnits(Money.Yuan(1.7m * 1.2345m)), accrued + carry);
        var again = await api.PostAsJsonAsync($"/api/v1/quarantined-intervals/{id}/resolve", new { action = "waive", reason = "twice" }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, again.StatusCode);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        Assert.Equal(1_700, await db.UsageHourly.Where(u => u.MeterId == meter).SumAsync(u => u.EnergyWh, Ct));
        Assert.NotNull((await db.Alarms.SingleAsync(a => a.SourceId == meter.Value, Ct)).ClearedAt);
        Assert.Single(await db.AuditLog.Where(a => a.Action == "quarantine.resolved").ToListAsync(Ct));
    }
}
