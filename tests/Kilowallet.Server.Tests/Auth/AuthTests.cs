using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Tests.Infrastructure;

namespace Kilowallet.Server.Tests.Auth;

/// <summary>Sign-in, lockout, roles, API keys, CSRF on cookie-authenticated changes, and the audit of user changes.</summary>
public sealed class AuthTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private KilowalletApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("sqlite");
        _app = new KilowalletApp(_database);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_first_administrator_signs_in_with_the_configured_password()
    {
        using var client = _app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "admin", password = KilowalletApp.AdminPassword }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/me", Ct);
        Assert.Equal("admin", me.GetProperty("userName").GetString());
        Assert.Contains("admin", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Anonymous_requests_to_the_api_get_401_not_a_redirect()
    {
        using var client = _app.CreateClient();
        var response = await client.GetAsync("/api/v1/sites", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_user_out()
    {
        using var admin = await _app.CreateApiClientAsync(ApiKeyScopes.Admin);
        var created = await admin.PostAsJsonAsync("/api/v1/users", new { userName = "victim", displayName = "Victim", role = Roles.Cashier, password = "Right-Password-1" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var client = _app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "victim", password = "wrong-" + i }, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var right = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "victim", password = "Right-Password-1" }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // An administrator's password reset also lifts the lockout.
        var reset = await admin.PostAsJsonAsync("/api/v1/users/victim/reset-password", new { newPassword = "New-Password-22" }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        var after = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "victim", password = "New-Password-22" }, Ct);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?target=user:victim", Ct);
        var actions = audit.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("user.created", actions);
        Assert.Contains("user.password-reset", actions);
    }

    [Fact]
    public async Task Cookie_changes_need_the_csrf_token_and_api_keys_do_not()
    {
        using var signedIn = await _app.CreateUserClientAsync(Roles.Admin);
        var withToken = await signedIn.PostAsJsonAsync("/api/v1/api-keys", new { name = "erp", scopes = new[] { "collect" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, withToken.StatusCode);

        signedIn.DefaultRequestHeaders.Remove("X-CSRF-Token");
        var withoutToken = await signedIn.PostAsJsonAsync("/api/v1/api-keys", new { name = "erp2", scopes = new[] { "collect" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Contains("CSRF", await withoutToken.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var byKey = await _app.CreateApiClientAsync(ApiKeyScopes.Admin);
        var keyChange = await byKey.PostAsJsonAsync("/api/v1/api-keys", new { name = "erp3", scopes = new[] { "operate" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, keyChange.StatusCode);
    }

    [Fact]
    public async Task A_revoked_api_key_stops_working_at_once()
    {
        using var admin = await _app.CreateApiClientAsync(ApiKeyScopes.Admin);
        var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "short-lived", scopes = new[] { "operate" } }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        var secret = created.GetProperty("secret").GetString()!;
        var id = created.GetProperty("key").GetProperty("id").GetInt64();
        using var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("Authorization", "ApiKey " + secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/sites", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/sites", Ct)).StatusCode);
    }

    [Fact]
    public async Task Api_key_scopes_grant_only_their_policies()
    {
        using var collect = await _app.CreateApiClientAsync(ApiKeyScopes.Collect);
        Assert.Equal(HttpStatusCode.OK, (await collect.GetAsync("/api/v1/accounts", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await collect.GetAsync("/api/v1/gateways", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await collect.GetAsync("/api/v1/users", Ct)).StatusCode);

        using var bogus = _app.CreateClient();
        bogus.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, "kw_abcdefgh_not-a-real-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bogus.GetAsync("/api/v1/sites", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_tenant_user_cannot_reach_staff_apis()
    {
        using var admin = await _app.CreateApiClientAsync(ApiKeyScopes.Admin);
        using var tenant = await _app.CreateUserClientAsync(Roles.Tenant, new Domain.TenantId(1));
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync("/api/v1/accounts", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync("/api/v1/meters", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync("/api/v1/audit", Ct)).StatusCode);
        using var cashier = await _app.CreateUserClientAsync(Roles.Cashier);
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync("/api/v1/users", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cashier.GetAsync("/api/v1/accounts", Ct)).StatusCode);
    }
}
