using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Tariffs;

/// <summary>
/// Re-rating a past period from the stored readings: under the plan that billed it nothing changes;
/// under a dearer plan the difference is posted once as an audited adjustment; bad input writes nothing.
/// </summary>
public sealed class RerateTests
{
    // 20:03 local, so intervals straddle local midnight and hour boundaries.
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 20, 3, 0, TimeSpan.FromHours(8));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TariffPlan Flat(string code, decimal price) => new(code, code, "CNY",
    [
        new TariffVersion(1, new DateOnly(2026, 1, 1), new BandPrices(Flat: price), [new Season("All year", 1, 12, [new TariffPeriod(new TimeOnly(0, 0), new TimeOnly(0, 0), TariffBand.Flat)])]),
    ]);

    /// <summary>Readings every 7 minutes for 8 hours (13 Wh each), then a 3-hour gap and an hour more.</summary>
    private static List<Kilowallet.Server.Metering.MeterSample> Readings(MeterId meter)
    {
        var samples = Enumerable.Range(0, 70).Select(i => BillingSetup.Reading(meter, Start.AddMinutes(7 * i), 500_000 + (13L * i))).ToList();
        var after = Start.AddMinutes(7 * 69).AddHours(3);
        samples.AddRange(Enumerable.Range(0, 10).Select(i => BillingSetup.Reading(meter, after.AddMinutes(6 * i), 500_000 + (13L * 69) + 400 + (11L * i))));
        return samples;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, long account, object body, string? key = null, HttpStatusCode? expect = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{account}/rerate") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expect is null ? response.IsSuccessStatusCode : response.StatusCode == expect, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The account's balance in pico units whatever has been posted yet: wallet − unposted accruals − carried remainder.</summary>
    private static async Task<long> AvailablePicoAsync(IServiceProvider services, AccountId account)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var row = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == account, Ct);
        var wallet = await db.LedgerAccounts.AsNoTracking().Where(l => l.AccountId == account).Select(l => (long?)l.BalanceMinor).SingleOrDefaultAsync(Ct) ?? 0;
        return MoneyPrecision.ToPicoUnits(Money.FromMinorUnits(wallet)) - row.AccruedPico - row.CarryPico;
    }

    private static async Task<(int Audits, int Readings, long UsageWh, long UsagePico)> HistoryAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        return (
            await db.AuditLog.CountAsync(a => a.Action == Rerater.AuditAction, Ct),
            await db.Readings.CountAsync(Ct),
            await db.UsageHourly.SumAsync(u => u.EnergyWh, Ct),
            await db.UsageHourly.SumAsync(u => u.AmountPico, Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rerating_under_the_plan_that_billed_the_period_differs_by_exactly_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, ExamplePlans.CommercialTimeOfUse(), ctRatio: 40m);
        await app.Services.GetRequiredService<ReadingBiller>().ApplyAsync(Readings(made.Meters[0]), Ct);
        var planId = await PlanIdAsync(app.Services, "CN-COMMERCIAL-TOU");
        using var client = await app.CreateApiClientAsync("operate");

        // The whole data, and one day alone (its first interval starts the day before).
        foreach (var (from, to) in new[] { ("2026-03-01", "2026-03-04"), ("2026-03-03", "2026-03-03"), ("2026-03-02", "2026-03-02") })
        {
            var preview = await PostAsync(client, made.Account.Value, new { planId, from, to, reason = "check", apply = false });
            Assert.Equal(0m, preview.GetProperty("difference").GetDecimal());
            Assert.True(preview.GetProperty("oldAmount").GetDecimal() > 0m, from);
            Assert.Empty(preview.GetProperty("problems").EnumerateArray());
            foreach (var line in preview.GetProperty("lines").EnumerateArray())
            {
                Assert.Equal(line.GetProperty("oldKwh").GetDecimal(), line.GetProperty("newKwh").GetDecimal());
                Assert.Equal(line.GetProperty("oldAmount").GetDecimal(), line.GetProperty("newAmount").GetDecimal());
            }
        }

        // Applying a zero difference posts nothing but is audited.
        var before = await AvailablePicoAsync(app.Services, made.Account);
        var applied = await PostAsync(client, made.Account.Value, new { planId, from = "2026-03-02", to = "2026-03-03", reason = "tenant asked", apply = true }, "zero-1", HttpStatusCode.Created);
        Assert.Equal(0m, applied.GetProperty("adjustment").GetDecimal());
        Assert.Equal(JsonValueKind.Null, applied.GetProperty("entryId").ValueKind);
        Assert.Equal(before, await AvailablePicoAsync(app.Services, made.Account));
        Assert.Equal(1, (await HistoryAsync(app.Services)).Audits);
    }

    [Fact]
    public async Task A_ladder_plan_rerated_from_mid_month_carries_the_months_energy_and_differs_by_nothing()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, ExamplePlans.Tiered());
        var meter = made.Meters[0];

        // 40 kWh an hour from March 1st: the 1,000 kWh block boundary is crossed on the 2nd.
        var first = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var samples = Enumerable.Range(0, 72).Select(i => BillingSetup.Reading(meter, first.AddHours(i).AddMinutes(i % 5), 1_000_000 + (40_000L * i))).ToList();
        await app.Services.GetRequiredService<ReadingBiller>().ApplyAsync(samples, Ct, TimeSpan.FromHours(1));
        var planId = await PlanIdAsync(app.Services, "CN-TIERED");
        using var client = await app.CreateApiClientAsync("operate");

        var preview = await PostAsync(client, made.Account.Value, new { planId, from = "2026-03-02", to = "2026-03-03", reason = "check", apply = false });
        Assert.True(preview.GetProperty("oldAmount").GetDecimal() > 1000m * 0.8651m);
        Assert.Equal(0m, preview.GetProperty("difference").GetDecimal());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_dearer_plan_posts_the_exact_difference_once_however_often_the_apply_is_retried(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, Flat("FLAT-CHEAP", 1.00m));
        await app.Services.GetRequiredService<ReadingBiller>().ApplyAsync(Readings(made.Meters[0]), Ct);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TariffService>().SeedPlanAsync(made.Site, Flat("FLAT-DEAR", 1.37m), "test", Ct);
        }

        var planId = await PlanIdAsync(app.Services, "FLAT-DEAR");
        using var client = await app.CreateApiClientAsync("operate");

        // 69 × 13 + 400 + 9 × 11 Wh = 1,396 Wh, all on March 2nd and 3rd; 0.37 CNY/kWh more = 0.51652 CNY.
        var body = new { planId, from = "2026-03-02", to = "2026-03-03", reason = "wrong plan since March", apply = false };
        var preview = await PostAsync(client, made.Account.Value, body);
        Assert.Equal(1.396m, preview.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("newKwh").GetDecimal()));
        Assert.Equal(1.396m, preview.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("oldKwh").GetDecimal()));
        Assert.Equal(1.396m, preview.GetProperty("oldAmount").GetDecimal());
        Assert.Equal(0.51652m, preview.GetProperty("difference").GetDecimal());
        Assert.Equal(-0.52m, preview.GetProperty("adjustment").GetDecimal());
        Assert.Equal(2, preview.GetProperty("lines").GetArrayLength());

        var history = await HistoryAsync(app.Services);
        var before = await AvailablePicoAsync(app.Services, made.Account);
        var applied = await PostAsync(client, made.Account.Value, body with { apply = true }, "rerate-1", HttpStatusCode.Created);
        Assert.True(applied.GetProperty("applied").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, applied.GetProperty("entryId").ValueKind);
        var retried = await PostAsync(client, made.Account.Value, body with { apply = true }, "rerate-1", HttpStatusCode.OK);
        Assert.True(retried.GetProperty("replayed").GetBoolean());
        Assert.Equal(applied.GetProperty("entryId").GetInt64(), retried.GetProperty("entryId").GetInt64());

        Assert.Equal(before - MoneyPrecision.ToPicoUnits(Money.Yuan(0.52m)), await AvailablePicoAsync(app.Services, made.Account));
        var after = await HistoryAsync(app.Services);
        Assert.Equal(history with { Audits = 1 }, after);
        Assert.Empty(await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(Ct));

        await using var check = app.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<KilowalletDb>();
        var audit = await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == Rerater.AuditAction, Ct);
        Assert.StartsWith("apikey:", audit.Actor, StringComparison.Ordinal);
        using var details = JsonDocument.Parse(audit.Details!);
        Assert.Equal("wrong plan since March", details.RootElement.GetProperty("reason").GetString());
        Assert.Equal(1.396m, details.RootElement.GetProperty("oldAmount").GetDecimal());
        Assert.Equal(1.91252m, details.RootElement.GetProperty("newAmount").GetDecimal());
        Assert.Equal("2026-03-02", details.RootElement.GetProperty("from").GetString());
        var adjustment = await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == "adjustment.created", Ct);
        using var posted = JsonDocument.Parse(adjustment.Details!);
        Assert.Equal("re-rating FLAT-DEAR 2026-03-02–2026-03-03: wrong plan since March", posted.RootElement.GetProperty("detail").GetProperty("reason").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bad_input_is_refused_with_field_errors_and_nothing_is_written(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, Flat("FLAT-ONE", 1.00m));
        await app.Services.GetRequiredService<ReadingBiller>().ApplyAsync(Readings(made.Meters[0]), Ct);
        var planId = await PlanIdAsync(app.Services, "FLAT-ONE");
        using var client = await app.CreateApiClientAsync("operate");
        var history = await HistoryAsync(app.Services);
        var balance = await AvailablePicoAsync(app.Services, made.Account);
        var future = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var cases = new (object Body, string? Key, string Field)[]
        {
            (new { planId, from = "2026-03-02", to = "2026-03-03", reason = "  ", apply = true }, "bad-1", "reason"),
            (new { planId, from = "2026-03-03", to = "2026-03-02", reason = "x", apply = true }, "bad-2", "to"),
            (new { planId, from = "2026-03-02", to = future, reason = "x", apply = true }, "bad-3", "to"),
            (new { planId = 999_999, from = "2026-03-02", to = "2026-03-03", reason = "x", apply = true }, "bad-4", "planId"),
            (new { planId, from = "2024-01-01", to = "2026-03-03", reason = "x", apply = true }, "bad-5", "to"),
            (new { planId, from = "2026-03-02", to = "2026-03-03", reason = "x", apply = true }, null, "Idempotency-Key"),
        };
        foreach (var (body, key, field) in cases)
        {
            var problem = await PostAsync(client, made.Account.Value, body, key, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {problem}");
        }

        await PostAsync(client, 999_999, new { planId, from = "2026-03-02", to = "2026-03-03", reason = "x", apply = true }, "bad-6", HttpStatusCode.NotFound);
        Assert.Equal(history, await HistoryAsync(app.Services));
        Assert.Equal(balance, await AvailablePicoAsync(app.Services, made.Account));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_meter_another_account_paid_for_during_the_period_is_shown_and_the_rerating_is_not_applied(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, Flat("FLAT-MOVED", 1.00m));
        var meter = made.Meters[0];
        await app.Services.GetRequiredService<ReadingBiller>().ApplyAsync(Readings(meter), Ct);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // The morning of March 2nd, before it moved to this account, another account paid for the meter.
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            db.UsageHourly.Add(new Kilowallet.Server.Metering.UsageBucket
            {
                MeterId = meter, HourStart = new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero), Band = TariffBand.Flat,
                AccountKey = made.Account.Value + 1000, EnergyWh = 50, AmountPico = MoneyPrecision.ToPicoUnits(Money.Yuan(0.05m)),
            });
            await db.SaveChangesAsync(Ct);
        }

        var planId = await PlanIdAsync(app.Services, "FLAT-MOVED");
        using var client = await app.CreateApiClientAsync("operate");
        var body = new { planId, from = "2026-03-02", to = "2026-03-03", reason = "moved", apply = false };
        var preview = await PostAsync(client, made.Account.Value, body);
        Assert.Equal([meter.Value], preview.GetProperty("sharedMeters").EnumerateArray().Select(m => m.GetInt64()));

        var history = await HistoryAsync(app.Services);
        var balance = await AvailablePicoAsync(app.Services, made.Account);
        var refused = await PostAsync(client, made.Account.Value, body with { apply = true }, "moved-1", HttpStatusCode.UnprocessableEntity);
        Assert.True(refused.GetProperty("errors").TryGetProperty("from", out _), refused.ToString());
        Assert.Equal(history, await HistoryAsync(app.Services));
        Assert.Equal(balance, await AvailablePicoAsync(app.Services, made.Account));
    }

    private static async Task<long> PlanIdAsync(IServiceProvider services, string code)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KilowalletDb>().TariffPlans.Where(p => p.Code == code).Select(p => p.Id).SingleAsync(Ct);
    }
}
