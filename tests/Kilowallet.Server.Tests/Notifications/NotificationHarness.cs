using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kilowallet.Server.Tests.Notifications;

/// <summary>
/// The real server on a test database, with its notification channels pointed at local sinks (an
/// HTTP SMS gateway, an SMTP server, a webhook receiver) and time from a <see cref="FakeTimeProvider"/>.
/// The background workers are off: tests drive the consumer, the dispatcher and the forecast one
/// pass at a time.
/// </summary>
public sealed class NotificationHarness : IAsyncDisposable
{
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _realClock;
    private KilowalletApp _app;
    private WebApplicationFactory<Program> _factory;

    private NotificationHarness(TestDatabase database, FakeTimeProvider clock, HttpSink sms, HttpSink webhooks, SmtpSink smtp, Dictionary<string, string?> settings, bool realClock)
    {
        _realClock = realClock;
        Database = database;
        Clock = clock;
        Sms = sms;
        Webhooks = webhooks;
        Smtp = smtp;
        _settings = settings;
        (_app, _factory) = Create();
    }

    public TestDatabase Database { get; }

    public FakeTimeProvider Clock { get; }

    public HttpSink Sms { get; }

    public HttpSink Webhooks { get; }

    public SmtpSink Smtp { get; }

    public IServiceProvider Services => _factory.Services;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Starts the sinks and the server (with the system clock when <paramref name="realClock"/>). The fake clock starts at 10:00 in Shanghai on a day after today
    /// (the sites of <see cref="TestDirectory"/> are in Asia/Shanghai), outside the default quiet hours.
    /// </summary>
    public static async Task<NotificationHarness> StartAsync(
        string provider, IReadOnlyDictionary<string, string?>? settings = null, bool sms = true, bool email = true, bool realClock = false)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var smsSink = await HttpSink.StartAsync();
        var webhooks = await HttpSink.StartAsync();
        var smtp = await SmtpSink.StartAsync();
        var all = new Dictionary<string, string?>
        {
            ["Notifications:WorkersEnabled"] = "false",
            ["Notifications:SendTimeoutSeconds"] = "5",
        };
        if (sms)
        {
            all["Notifications:Sms:Url"] = smsSink.Url("/sms/send").ToString();
            all["Notifications:Sms:AuthHeaderName"] = "X-Api-Key";
            all["Notifications:Sms:AuthHeaderValue"] = "gateway-key";
            all["Notifications:Sms:SuccessJsonField"] = "code";
            all["Notifications:Sms:SuccessJsonValue"] = "0";
        }

        if (email)
        {
            all["Notifications:Email:Host"] = "127.0.0.1";
            all["Notifications:Email:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            all["Notifications:Email:Security"] = "None";
            all["Notifications:Email:FromAddress"] = "power@mall.test";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var tomorrow = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(1);
        var clock = new FakeTimeProvider(Local(tomorrow, new TimeOnly(10, 0)));
        return new NotificationHarness(database, clock, smsSink, webhooks, smtp, all, realClock);
    }

    /// <summary>The instant a Shanghai clock shows <paramref name="time"/> on <paramref name="date"/>.</summary>
    public static DateTimeOffset Local(DateOnly date, TimeOnly time) =>
        new(date.ToDateTime(time), TimeSpan.FromHours(8));

    public DateOnly LocalToday => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Shanghai).DateTime);

    /// <summary>Stops the server and starts a new one on the same database (a restart, or another node).</summary>
    public async Task RestartAsync()
    {
        await _factory.DisposeAsync();
        await _app.DisposeAsync();
        (_app, _factory) = Create();
    }

    public Task<int> ConsumeAsync() => Services.GetRequiredService<BalanceEventNotifier>().RunOnceAsync(Ct);

    public Task<DispatchSummary> DispatchAsync() => Services.GetRequiredService<NotificationDispatcher>().RunOnceAsync(Ct);

    /// <summary>One tenant with one account (thresholds 100/50/0/10), in the given language, with an email address when given.</summary>
    public async Task<(TenantId Tenant, AccountId Account, string Phone)> MakeTenantAsync(Language language = Language.English, string? email = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var made = await TestDirectory.MakeAsync(db);
        var tenant = await db.Tenants.SingleAsync(t => t.Id == made.Tenants[0], Ct);
        tenant.PreferredLanguage = language;
        tenant.Email = email;
        tenant.Phone = "+86139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await db.SaveChangesAsync(Ct);
        return (tenant.Id, made.Accounts[0], tenant.Phone);
    }

    /// <summary>A client authenticated by a new API key with the given scopes.</summary>
    public async Task<HttpClient> ApiClientAsync(params string[] scopes)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var (_, secret) = scope.ServiceProvider.GetRequiredService<ApiKeyService>().Create(db, "test-" + Guid.NewGuid().ToString("N")[..8], scopes, "test");
        await db.SaveChangesAsync(Ct);
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, secret);
        return client;
    }

    /// <summary>A signed-in user of <paramref name="role"/> (a tenant user acts for <paramref name="tenant"/>), with the CSRF header set.</summary>
    public async Task<(HttpClient Client, string UserId)> UserClientAsync(string role, TenantId? tenant = null, string? email = null)
    {
        var userName = role + "-" + Guid.NewGuid().ToString("N")[..8];
        const string password = "Test-Password-123";
        string userId;
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = userName, DisplayName = userName, TenantId = tenant, Email = email, Language = Language.English };
            var created = await users.CreateAsync(user, password);
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(user, role);
            userId = user.Id;
        }

        var client = _factory.CreateClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password }, Ct);
        login.EnsureSuccessStatusCode();
        var tokens = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/antiforgery", Ct);
        client.DefaultRequestHeaders.Add(tokens.GetProperty("headerName").GetString()!, tokens.GetProperty("token").GetString());
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return (client, userId);
    }

    /// <summary>Moves money through the real API: an operator's adjustment either way.</summary>
    public static async Task MoveAsync(HttpClient operatorClient, AccountId account, decimal amount, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(operatorClient);
        // An adjustment, not a top-up: a top-up also tells the tenant "top-up received", which these tests do not count.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{account.Value}/adjustments")
        {
            Content = JsonContent.Create(new { amount, reason = amount > 0 ? "opening credit" : "meter test" }),
        };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        var response = await operatorClient.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction of the server's storage (as a feature enqueueing inside its own transaction).</summary>
    public Task<T> InTransactionAsync<T>(Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task<T>> work) =>
        Services.GetRequiredService<StorageConnections>().WriteAsync(work, Ct);

    public async Task<List<OutboxMessage>> OutboxAsync(TenantId? tenant = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<KilowalletDb>().NotificationOutbox.AsNoTracking();
        if (tenant is { } id)
        {
            query = query.Where(m => m.TenantId == id);
        }

        return await query.OrderBy(m => m.Id).ToListAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _app.DisposeAsync();
        await Sms.DisposeAsync();
        await Webhooks.DisposeAsync();
        await Smtp.DisposeAsync();
        await Database.DisposeAsync();
    }

    private (KilowalletApp App, WebApplicationFactory<Program> Factory) Create()
    {
        var app = new KilowalletApp(Database, _settings);
        var factory = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            if (!_realClock)
            {
                services.AddSingleton<TimeProvider>(Clock);
            }
        }));
        _ = factory.Services;
        return (app, factory);
    }
}
