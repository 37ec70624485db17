using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Ledger;

/// <summary>
/// A shop changes hands: the meter moves to the new tenant's account after a final reading billed to
/// the old one, and the old account closes with its final settlement — every fen accounted for.
/// </summary>
public sealed class AccountLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TariffPlan FlatPlan() => new("FLAT-LIFE", "Flat", "CNY",
    [
        new TariffVersion(1, new DateOnly(2026, 1, 1), new BandPrices(Flat: 1.00m), [new Season("All year", 1, 12, [new TariffPeriod(new TimeOnly(0, 0), new TimeOnly(0, 0), TariffBand.Flat)])]),
    ]);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_meter_moves_to_a_new_account_after_a_final_reading_and_the_old_account_closes_with_its_refund(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, FlatPlan());
        var meter = made.Meters[0];
        var oldAccount = made.Account;
        var newAccount = await OpenSecondAccountAsync(app.Services, made);
        using var api = await app.CreateUserClientAsync(Roles.Operator);

        // The old tenant used 1 kWh (1.00 CNY) and had topped up 100.
        var start = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() / 3600 * 3600).AddHours(-2);
        var biller = app.Services.GetRequiredService<ReadingBiller>();
        await biller.ApplyAsync([BillingSetup.Reading(meter, start, 10_000), BillingSetup.Reading(meter, start.AddMinutes(30), 11_000)], Ct);
        await app.Services.GetRequiredService<AccountMoney>().TopUpAsync(
            new TopUpCommand(oldAccount, 100m, "cash", IdempotencyKey.Parse("receipt:R-1"), LedgerAccountKey.CashDrawer("c1"), "c1", "R-1", AtTill: false, null), Ct);

        // The meter is not polled over a gateway, so the operator must type the final reading.
        var unread = await api.PutAsJsonAsync($"/api/v1/meters/{meter.Value}/account", new { accountId = newAccount.Value, reason = "shop sold" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unread.StatusCode);
        Assert.Contains("finalReadingKwh", await unread.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(oldAccount, await AccountOfAsync(app.Services, meter));

        var moved = await api.PutAsJsonAsync($"/api/v1/meters/{meter.Value}/account", new { accountId = newAccount.Value, finalReadingKwh = 11.5m, reason = "shop sold" }, Ct);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var assignment = await moved.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(oldAccount.Value, assignment.GetProperty("previousAccountId").GetInt64());
        Assert.Equal(11.5m, assignment.GetProperty("finalReadingKwh").GetDecimal());
        Assert.Equal(newAccount, await AccountOfAsync(app.Services, meter));

        // After the move the new account pays: 1 Wh in the next second.
        await Task.Delay(1_000, Ct);
        var later = await biller.ApplyAsync([BillingSetup.Reading(meter, TimeProvider.System.GetUtcNow(), 11_501)], Ct);
        Assert.Equal(1, later.Rated);

        // Closing needs a meter-free account, a payout choice and an idempotency key.
        var busy = await PostAsync(api, $"/api/v1/accounts/{newAccount.Value}/close", new { payout = "cash", reason = "test" }, "close-new");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, busy.StatusCode);
        var noKey = await api.PostAsJsonAsync($"/api/v1/accounts/{oldAccount.Value}/close", new { payout = "cash", reason = "moved out" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);

        var closed = await PostAsync(api, $"/api/v1/accounts/{oldAccount.Value}/close", new { payout = "cash", reason = "moved out" }, "close-old");
        Assert.Equal(HttpStatusCode.Created, closed.StatusCode);
        var settlement = await closed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(-98.50m, settlement.GetProperty("amount").GetDecimal()); // 100 − 1.00 − 0.50 up to the final reading
        Assert.Equal(0m, settlement.GetProperty("balance").GetDecimal());

        var again = await PostAsync(api, $"/api/v1/accounts/{oldAccount.Value}/close", new { payout = "cash", reason = "moved out" }, "close-old");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var otherKey = await PostAsync(api, $"/api/v1/accounts/{oldAccount.Value}/close", new { payout = "cash", reason = "moved out" }, "close-old-2");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherKey.StatusCode);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        Assert.Equal(AccountStatus.Closed, (await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == oldAccount, Ct)).Status);
        var usage = await db.UsageHourly.AsNoTracking().Where(u => u.MeterId == meter).ToListAsync(Ct);
        Assert.Equal(1_500, usage.Where(u => u.AccountKey == oldAccount.Value).Sum(u => u.EnergyWh));
        Assert.Equal(1, usage.Where(u => u.AccountKey == newAccount.Value).Sum(u => u.EnergyWh));
        var refunds = await db.LedgerAccounts.AsNoTracking().SingleAsync(l => l.Key == "refunds:cash", Ct);
        Assert.Equal(98_50, Math.Abs(refunds.BalanceMinor));
        Assert.Empty(await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(Ct));
        var history = await api.GetFromJsonAsync<JsonElement>($"/api/v1/meters/{meter.Value}/assignments", Ct);
        Assert.Equal(1, history.GetArrayLength());
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient api, string url, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await api.SendAsync(request, Ct);
    }

    private static async Task<AccountId?> AccountOfAsync(IServiceProvider services, MeterId meter)
    {
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<KilowalletDb>().Meters.AsNoTracking().SingleAsync(m => m.Id == meter, Ct)).AccountId;
    }

    private static async Task<AccountId> OpenSecondAccountAsync(IServiceProvider services, BillingSetup.Made made)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var tenant = new Kilowallet.Server.Tenants.Tenant { SiteId = made.Site, Code = "T2", Name = "New tenant" };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(Ct);
        var account = new Account { SiteId = made.Site, TenantId = tenant.Id, Number = "B", Status = AccountStatus.Open, Warning1Minor = 100_00, Warning2Minor = 50_00, ReconnectLevelMinor = 10_00 };
        db.Accounts.Add(account);
        await db.SaveChangesAsync(Ct);
        var plan = await db.TariffAssignments.AsNoTracking().Where(a => a.AccountId == made.Account).Select(a => a.PlanId).FirstAsync(Ct);
        await scope.ServiceProvider.GetRequiredService<TariffService>().AssignAsync(plan, account.Id, null, new DateOnly(2026, 1, 1), "test", Ct, allowPast: true);
        return account.Id;
    }
}
