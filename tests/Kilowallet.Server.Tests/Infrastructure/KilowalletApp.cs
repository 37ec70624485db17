using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Infrastructure;

/// <summary>The real server, in process, on a test database; extra settings override appsettings.json.</summary>
public sealed class KilowalletApp(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-Password-42";

    public TestDatabase Database { get; } = database;

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
        var userName = role + "-" + Guid.NewGuid().ToString("N")[..8];
        const string password = "Test-Password-123";
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = userName, DisplayName = userName, TenantId = tenant };
            var created = await users.CreateAsync(user, password);
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(user, role);
        }

        var client = CreateClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password });
        login.EnsureSuccessStatusCode();
        var tokens = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/antiforgery");
        client.DefaultRequestHeaders.Add(tokens.GetProperty("headerName").GetString()!, tokens.GetProperty("token").GetString());
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
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
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
