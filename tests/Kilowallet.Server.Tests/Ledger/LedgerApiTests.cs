using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Ledger;

/// <summary>Money through the API: idempotent top-ups, refusals that write nothing, reversals within a shift, refunds and transfers.</summary>
public sealed class LedgerApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(KilowalletApp App, TestDatabase Database, TestDirectory.Made Made)> StartAsync(string provider, int tenants = 1, int accounts = 1)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var app = new KilowalletApp(database);
        await using var scope = app.Services.CreateAsyncScope();
        var made = await TestDirectory.MakeAsync(scope.ServiceProvider.GetRequiredService<KilowalletDb>(), tenants, accounts);
        return (app, database, made);
    }

    private static async Task<int> EntryCountAsync(KilowalletApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KilowalletDb>().LedgerEntries.CountAsync();
    }

    private static HttpRequestMessage Post(string url, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_top_up_retried_five_times_credits_once_and_every_retry_returns_the_original(string provider)
    {
        var (app, database, made) = await StartAsync(provider);
        await using var databaseScope = database;
        await using var appScope = app;
        using var cashier = await app.CreateUserClientAsync(Roles.Cashier);
        var account = made.Accounts[0].Value;

        var first = await cashier.SendAsync(Post($"/api/v1/accounts/{account}/topups", new { amount = 200.50m, method = "cash" }, "till-1-0001"), Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var original = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(200.50m, original.GetProperty("available").GetDecimal());
        for (var i = 0; i < 5; i++)
        {
            var retry = await cashier.SendAsync(Post($"/api/v1/accounts/{account}/topups", new { amount = 200.50m, method = "cash" }, "till-1-0001"), Ct);
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            var replay = await retry.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(replay.GetProperty("replayed").GetBoolean());
            Assert.Equal(original.GetProperty("entryId").GetInt64(), replay.GetProperty("entryId").GetInt64());
            Assert.Equal(original.GetProperty("reference").GetString(), replay.GetProperty("reference").GetString());
        }

        var balance = await cashier.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}", Ct);
        Assert.Equal(200.50m, balance.GetProperty("balance").GetDecimal());
        Assert.Equal(1, await EntryCountAsync(app));

        // The same key for a different amount is a conflict, not a second credit.
        var conflict = await cashier.SendAsync(Post($"/api/v1/accounts/{account}/topups", new { amount = 300m, method = "cash" }, "till-1-0001"), Ct);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        // A receipt number is an idempotency key of its own.
        var byReceipt = await cashier.PostAsJsonAsync($"/api/v1/accounts/{account}/topups", new { amount = 10m, method = "qr", receiptNumber = "R-TILL2-77" }, Ct);
        var again = await cashier.PostAsJsonAsync($"/api/v1/accounts/{account}/topups", new { amount = 10m, method = "qr", receiptNumber = "R-TILL2-77" }, Ct);
        Assert.Equal(HttpStatusCode.Created, byReceipt.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, await EntryCountAsync(app));
        Assert.Empty(await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(Ct));
    }

    public static TheoryData<string, string, HttpStatusCode> BadTopUps => new()
    {
        { """{"amount":0,"method":"cash"}""", "amount", HttpStatusCode.UnprocessableEntity },
        { """{"amount":-5,"method":"cash"}""", "amount", HttpStatusCode.UnprocessableEntity },
        { """{"amount":1.005,"method":"cash"}""", "amount", HttpStatusCode.UnprocessableEntity },
        { """{"amount":50000.01,"method":"cash"}""", "amount", HttpStatusCode.UnprocessableEntity },
        { """{"amount":10,"method":"cash","currency":"USD"}""", "currency", HttpStatusCode.UnprocessableEntity },
        { """{"amount":10,"method":"bitcoin"}""", "method", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(BadTopUps))]
    public async Task Bad_top_ups_are_refused_with_the_field_named_and_write_nothing(string body, string field, HttpStatusCode status)
    {
        var (app, database, made) = await StartAsync("sqlite");
        await using var databaseScope = database;
        await using var appScope = app;
        using var cashier = await app.CreateApiClientAsync(ApiKeyScopes.Collect);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{made.Accounts[0].Value}/topups")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", "bad-" + Guid.NewGuid());
        var response = await cashier.SendAsync(request, Ct);
        Assert.True(status == response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, await EntryCountAsync(app));
    }

    [Fact]
    public async Task Top_ups_without_an_idempotency_key_or_to_unknown_or_closed_accounts_are_refused()
    {
        var (app, database, made) = await StartAsync("sqlite");
        await using var databaseScope = database;
        await using var appScope = app;
        using var cashier = await app.CreateApiClientAsync(ApiKeyScopes.Collect);
        var noKey = await cashier.PostAsJsonAsync($"/api/v1/accounts/{made.Accounts[0].Value}/topups", new { amount = 10m }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        var unknown = await cashier.SendAsync(Post("/api/v1/accounts/999999/topups", new { amount = 10m }, "k-unknown"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            var account = await db.Accounts.SingleAsync(a => a.Id == made.Accounts[0], Ct);
            account.Status = Accounts.AccountStatus.Closed;
            await db.SaveChangesAsync(Ct);
        }

        var closed = await cashier.SendAsync(Post($"/api/v1/accounts/{made.Accounts[0].Value}/topups", new { amount = 10m }, "k-closed"), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, closed.StatusCode);
        Assert.Contains("closed", await closed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, await EntryCountAsync(app));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_cashier_reverses_a_mistaken_top_up_once_within_the_shift_but_not_after_it_closes(string provider)
    {
        var (app, database, made) = await StartAsync(provider);
        await using var databaseScope = database;
        await using var appScope = app;
        using var cashier = await app.CreateUserClientAsync(Roles.Cashier);
        var account = made.Accounts[0].Value;
        var topUp = await (await cashier.SendAsync(Post($"/api/v1/accounts/{account}/topups", new { amount = 500m }, "mistake-1"), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var entry = topUp.GetProperty("entryId").GetInt64();

        var noReason = await cashier.PostAsJsonAsync($"/api/v1/ledger/entries/{entry}/reverse", new { reason = " " }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        var reversal = await cashier.PostAsJsonAsync($"/api/v1/ledger/entries/{entry}/reverse", new { reason = "typed 500 instead of 50" }, Ct);
        Assert.Equal(HttpStatusCode.Created, reversal.StatusCode);
        var twice = await cashier.PostAsJsonAsync($"/api/v1/ledger/entries/{entry}/reverse", new { reason = "again" }, Ct);
        Assert.Equal(HttpStatusCode.OK, twice.StatusCode);
        Assert.Equal(0m, (await cashier.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}", Ct)).GetProperty("balance").GetDecimal());

        var second = await (await cashier.SendAsync(Post($"/api/v1/accounts/{account}/topups", new { amount = 50m }, "mistake-2"), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        await app.Services.GetRequiredService<Accounts.AccountMoney>().CloseShiftAsync(
            (await cashier.GetFromJsonAsync<JsonElement>("/api/v1/auth/me", Ct)).GetProperty("userName").GetString()!, DateTimeOffset.UnixEpoch.AddYears(60), Ct);
        var late = await cashier.PostAsJsonAsync($"/api/v1/ledger/entries/{second.GetProperty("entryId").GetInt64()}/reverse", new { reason = "too late" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, late.StatusCode);
        Assert.Contains("shift", await late.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(Ct));
    }

    [Fact]
    public async Task Refunds_are_limited_to_the_available_balance_and_transfers_stay_within_a_tenant()
    {
        var (app, database, made) = await StartAsync("sqlite", tenants: 2, accounts: 2);
        await using var databaseScope = database;
        await using var appScope = app;
        using var op = await app.CreateApiClientAsync(ApiKeyScopes.Operate);
        var a = made.Accounts[0].Value;
        var sameTenant = made.Accounts[1].Value;
        var otherTenant = made.Accounts[2].Value;
        Assert.Equal(HttpStatusCode.Created, (await op.SendAsync(Post($"/api/v1/accounts/{a}/topups", new { amount = 100m }, "t1"), Ct)).StatusCode);

        var tooMuch = await op.SendAsync(Post($"/api/v1/accounts/{a}/refunds", new { amount = 100.01m, channel = "bank", reason = "leaving" }, "r1"), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);
        var refund = await op.SendAsync(Post($"/api/v1/accounts/{a}/refunds", new { amount = 30m, channel = "bank", reason = "overpaid" }, "r2"), Ct);
        Assert.Equal(HttpStatusCode.Created, refund.StatusCode);

        var cross = await op.SendAsync(Post($"/api/v1/accounts/{a}/transfers", new { toAccountId = otherTenant, amount = 10m, reason = "x" }, "x1"), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, cross.StatusCode);
        var move = await op.SendAsync(Post($"/api/v1/accounts/{a}/transfers", new { toAccountId = sameTenant, amount = 20m, reason = "second shop" }, "x2"), Ct);
        Assert.Equal(HttpStatusCode.Created, move.StatusCode);

        Assert.Equal(50m, (await op.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{a}", Ct)).GetProperty("balance").GetDecimal());
        Assert.Equal(20m, (await op.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{sameTenant}", Ct)).GetProperty("balance").GetDecimal());
        var ledger = await op.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{a}/ledger", Ct);
        Assert.Equal(["transfer", "refund", "topUp"], ledger.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray());
        Assert.Empty(await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(Ct));
    }

    [Fact]
    public async Task Crossing_thresholds_records_events_once_per_crossing()
    {
        var (app, database, made) = await StartAsync("sqlite");
        await using var databaseScope = database;
        await using var appScope = app;
        using var op = await app.CreateApiClientAsync(ApiKeyScopes.Operate);
        var a = made.Accounts[0].Value;
        await op.SendAsync(Post($"/api/v1/accounts/{a}/topups", new { amount = 120m }, "e1"), Ct);
        await op.SendAsync(Post($"/api/v1/accounts/{a}/adjustments", new { amount = -30m, reason = "meter test" }, "e2"), Ct);
        await op.SendAsync(Post($"/api/v1/accounts/{a}/adjustments", new { amount = -5m, reason = "meter test" }, "e3"), Ct);
        await op.SendAsync(Post($"/api/v1/accounts/{a}/adjustments", new { amount = -90m, reason = "meter test" }, "e4"), Ct);
        await op.SendAsync(Post($"/api/v1/accounts/{a}/topups", new { amount = 20m }, "e5"), Ct);

        await using var scope = app.Services.CreateAsyncScope();
        var events = await scope.ServiceProvider.GetRequiredService<KilowalletDb>().BalanceEvents
            .Where(e => e.AccountId == new AccountId(a)).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync(Ct);
        Assert.Equal(
            [Domain.Ledger.BalanceEvent.CrossedWarning1, Domain.Ledger.BalanceEvent.Exhausted, Domain.Ledger.BalanceEvent.BackAboveReconnectLevel],
            events);
    }
}
