using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Infrastructure;

/// <summary>
/// The real server, in process, on a test database; extra settings override appsettings.json. With
/// <c>kestrel</c> it listens on a real loopback port (for callbacks, browsers and other processes);
/// with <c>clock</c> it runs on that TimeProvider (e.g. a FakeTimeProvider the test advances).
/// </summary>
public sealed class KilowalletApp : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-Password-42";

    private readonly IReadOnlyDictionary<string, string?>? _settings;
    private readonly TimeProvider? _clock;

    public KilowalletApp(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null, bool kestrel = false)
    {
        Database = database;
        _settings = settings;
        _clock = clock;
        if (kestrel)
        {
            UseKestrel(0);
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            ServerAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
            ClientOptions.BaseAddress = ServerAddress;
        }
    }

    public TestDatabase Database { get; }

    /// <summary>The real loopback address when started with Kestrel.</summary>
    public Uri? ServerAddress { get; }

    /// <summary>A client authenticated by a new API key with the given scopes (admin, operate, collect).</summary>
    public async Task<HttpClient> CreateApiClientAsync(params string[] scopes)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var (_, secret) = scope.ServiceProvider.GetRequiredService<ApiKeyService>().Create(db, "test-" + Guid.NewGuid().ToString("N")[..8], scopes, "test");
        await db.SaveChangesAsync();
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, secret);
        return client;
    }

    /// <summary>
    /// A client signed in with the cookie as a new user of <paramref name="role"/>, carrying the CSRF
    /// token the console's scripts send; a tenant user needs the tenant it acts for.
    /// </summary>
    public async Task<HttpClient> CreateUserClientAsync(string role, TenantId? tenant = null)
    {
        var (userName, password) = await CreateUserAsync(role, tenant);
        var client = CreateClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password });
        login.EnsureSuccessStatusCode();
        var tokens = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/antiforgery");
        client.DefaultRequestHeaders.Add(tokens.GetProperty("headerName").GetString()!, tokens.GetProperty("token").GetString());
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>A new user of <paramref name="role"/> (a tenant user acts for <paramref name="tenant"/>); returns how to sign in.</summary>
    public async Task<(string UserName, string Password)> CreateUserAsync(string role, TenantId? tenant = null)
    {
        var userName = role + "-" + Guid.NewGuid().ToString("N")[..8];
        const string password = "Test-Password-123";
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, DisplayName = userName, TenantId = tenant };
        var created = await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        return (userName, password);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Database.Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Auth:InitialAdminPassword", AdminPassword);
        builder.UseSetting("Mqtt:EmbeddedPort", "0");
        foreach (var (key, value) in _settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (_clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock));
        }
    }
}
