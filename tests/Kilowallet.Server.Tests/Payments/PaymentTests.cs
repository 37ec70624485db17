using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kilowallet.Domain;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Payments;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kilowallet.Server.Tests.Payments;

/// <summary>
/// Online top-up end to end over real sockets: order, the demo provider's page, its signed
/// callback to our server, idempotent credit; refused callbacks; reconciliation of a lost callback.
/// </summary>
public sealed partial class PaymentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(KilowalletApp App, AccountId Account, TenantId Tenant)> StartAsync(TestDatabase database, TimeProvider? clock = null)
    {
        var app = new KilowalletApp(database, clock: clock, kestrel: true);
        await using var scope = app.Services.CreateAsyncScope();
        var made = await TestDirectory.MakeAsync(scope.ServiceProvider.GetRequiredService<KilowalletDb>());
        return (app, made.Accounts[0], made.Tenants[0]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_tenant_pays_on_the_demo_page_and_the_signed_callback_credits_once_even_when_sent_three_times(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (app, account, tenant) = await StartAsync(database);
        await using var appScope = app;
        using var tenantClient = await app.CreateUserClientAsync(Roles.Tenant, tenant);

        var created = await tenantClient.PostAsJsonAsync($"/api/v1/accounts/{account.Value}/payments", new { amount = 88.80m, returnPath = "/my" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var order = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var orderNo = order.GetProperty("orderNo").GetString()!;
        Assert.Equal($"/pay/demo/{orderNo}", order.GetProperty("redirectUrl").GetString());

        // The payer on the provider's page (a separate browser session, no sign-in).
        using var browser = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        using var payer = new HttpClient(browser) { BaseAddress = app.ServerAddress };
        var page = await payer.GetStringAsync($"/pay/demo/{orderNo}", Ct);
        Assert.Contains("88.80 CNY", page, StringComparison.Ordinal);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["decision"] = "pay", ["__RequestVerificationToken"] = Token(page) });
        var paid = await payer.PostAsync($"/pay/demo/{orderNo}", form, Ct);
        Assert.True(paid.StatusCode == HttpStatusCode.Redirect, $"{paid.StatusCode}: {await paid.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal("/my", paid.Headers.Location?.OriginalString);

        var status = await tenantClient.GetFromJsonAsync<JsonElement>($"/api/v1/payments/{orderNo}", Ct);
        Assert.Equal("paid", status.GetProperty("status").GetString());

        // The provider retries its callback twice more (as providers do when unsure): no second credit.
        var cashier = app.Services.GetRequiredService<DemoPayCashier>();
        var transaction = await cashier.PayAsync(orderNo, succeed: true, notifyMerchant: false, Ct);
        Assert.True(await cashier.SendCallbackAsync(transaction!, Ct));
        Assert.True(await cashier.SendCallbackAsync(transaction!, Ct));

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        Assert.Equal(1, await db.LedgerEntries.CountAsync(e => e.AccountId == account, Ct));
        var wallet = await db.LedgerAccounts.SingleAsync(l => l.AccountId == account, Ct);
        Assert.Equal(88_80, wallet.BalanceMinor);
        Assert.Equal(3, await db.PaymentCallbacks.CountAsync(c => c.OrderNo == orderNo && c.Valid, Ct));
        Assert.Empty(await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(Ct));
    }

    [Fact]
    public async Task Callbacks_with_a_bad_signature_a_stale_timestamp_or_a_wrong_amount_are_refused_logged_and_credit_nothing()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var (app, account, _) = await StartAsync(database);
        await using var appScope = app;
        using var staff = await app.CreateApiClientAsync(ApiKeyScopes.Collect);
        var order = await (await staff.PostAsJsonAsync($"/api/v1/accounts/{account.Value}/payments", new { amount = 50m }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var orderNo = order.GetProperty("orderNo").GetString()!;
        var provider = app.Services.GetRequiredService<DemoPayProvider>();
        using var anonymous = app.CreateClient();
        var now = DateTimeOffset.FromUnixTimeSeconds(Math.Max(0, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()));

        async Task<HttpResponseMessage> SendAsync(long amountMinor, DateTimeOffset at, Func<string, string> tamper)
        {
            var (body, timestamp, signature) = provider.SignedCallback(new DemoPayTransaction { OrderNo = orderNo, TransactionId = "DP-X", AmountMinor = amountMinor, Succeeded = true }, at);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/demo-pay/callback") { Content = new ByteArrayContent(body) };
            request.Headers.Add(DemoPayProvider.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(DemoPayProvider.SignatureHeader, tamper(signature));
            return await anonymous.SendAsync(request, Ct);
        }

        var forged = await SendAsync(50_00, now, s => s[..^2] + (s[^2..] == "00" ? "11" : "00"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("bad signature", await forged.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var stale = await SendAsync(50_00, now.AddMinutes(-20), s => s);
        Assert.Contains("stale timestamp", await stale.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var wrongAmount = await SendAsync(5_000_00, now, s => s);
        Assert.Contains("does not match", await wrongAmount.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        Assert.Equal(0, await db.LedgerEntries.CountAsync(Ct));
        Assert.Equal(3, await db.PaymentCallbacks.CountAsync(c => c.Outcome.StartsWith("refused"), Ct));
        Assert.Equal(2, await db.AuditLog.CountAsync(a => a.Action == "payment.callback-refused", Ct));
        Assert.Equal(PaymentOrderStatus.Pending, (await db.PaymentOrders.SingleAsync(o => o.OrderNo == orderNo, Ct)).Status);
    }

    [Fact]
    public async Task An_order_whose_callback_never_came_is_reconciled_by_querying_the_provider()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var (app, account, _) = await StartAsync(database, clock);
        await using var appScope = app;
        using var staff = await app.CreateApiClientAsync(ApiKeyScopes.Collect);
        var order = await (await staff.PostAsJsonAsync($"/api/v1/accounts/{account.Value}/payments", new { amount = 20m }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var orderNo = order.GetProperty("orderNo").GetString()!;
        await app.Services.GetRequiredService<DemoPayCashier>().PayAsync(orderNo, succeed: true, notifyMerchant: false, Ct);

        var reconciler = app.Services.GetRequiredService<PaymentReconciler>();
        Assert.Equal(0, await reconciler.RunOnceAsync(Ct));
        Assert.Equal("pending", (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/payments/{orderNo}", Ct)).GetProperty("status").GetString());

        // Three minutes later the order is due; the background pass (woken by the clock) or this one settles it, once.
        clock.Advance(TimeSpan.FromMinutes(3));
        await reconciler.RunOnceAsync(Ct);

        var status = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/payments/{orderNo}", Ct);
        Assert.Equal("paid", status.GetProperty("status").GetString());
        Assert.Equal(20m, (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account.Value}", Ct)).GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task A_tenant_cannot_pay_into_or_look_at_another_tenants_account()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var (app, account, _) = await StartAsync(database);
        await using var appScope = app;
        using var stranger = await app.CreateUserClientAsync(Roles.Tenant, new TenantId(987654));
        var response = await stranger.PostAsJsonAsync($"/api/v1/accounts/{account.Value}/payments", new { amount = 10m }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string Token(string page) => TokenPattern().Match(page).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
