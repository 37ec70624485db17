using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Tests.Infrastructure;

namespace Kilowallet.Server.Tests.Auth;

/// <summary>What the administration page needs from the API: lockout state and unlock, field-level user errors, audit filters.</summary>
public sealed class AdministrationApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_administrator_sees_a_lockout_and_ends_it_and_the_unlock_is_audited()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database);
        using var admin = await app.CreateApiClientAsync(ApiKeyScopes.Admin);
        (await admin.PostAsJsonAsync("/api/v1/users", new { userName = "locked", displayName = "Locked", role = Roles.Operator, password = "Right-Password-1" }, Ct)).EnsureSuccessStatusCode();
        using var stranger = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await stranger.PostAsJsonAsync("/api/v1/auth/login", new { userName = "locked", password = "wrong-" + i }, Ct);
        }

        var user = await UserAsync(admin, "locked");
        Assert.True(user.GetProperty("lockedOut").GetBoolean());
        Assert.True(user.GetProperty("lockedOutUntil").GetDateTimeOffset() > DateTimeOffset.UnixEpoch);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsJsonAsync("/api/v1/auth/login", new { userName = "locked", password = "Right-Password-1" }, Ct)).StatusCode);

        using var operatorClient = await app.CreateApiClientAsync(ApiKeyScopes.Operate);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsync("/api/v1/users/locked/unlock", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/users/nobody/unlock", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/v1/users/locked/unlock", null, Ct)).StatusCode);

        user = await UserAsync(admin, "locked");
        Assert.False(user.GetProperty("lockedOut").GetBoolean());
        Assert.Equal(JsonValueKind.Null, user.GetProperty("lockedOutUntil").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await stranger.PostAsJsonAsync("/api/v1/auth/login", new { userName = "locked", password = "Right-Password-1" }, Ct)).StatusCode);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?target=user:locked&action=user.unlocked", Ct);
        Assert.Equal(1, audit.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_taken_user_name_is_refused_at_the_user_name_and_a_weak_password_at_the_password()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database);
        using var admin = await app.CreateApiClientAsync(ApiKeyScopes.Admin);
        (await admin.PostAsJsonAsync("/api/v1/users", new { userName = "till", displayName = "Till", role = Roles.Cashier, password = "Right-Password-1" }, Ct)).EnsureSuccessStatusCode();

        var taken = await admin.PostAsJsonAsync("/api/v1/users", new { userName = "till", displayName = "Till", role = Roles.Cashier, password = "Other-Password-2" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        var errors = (await taken.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Contains("already taken", errors.GetProperty("userName")[0].GetString(), StringComparison.Ordinal);
        Assert.False(errors.TryGetProperty("password", out _));

        var weak = await admin.PostAsJsonAsync("/api/v1/users", new { userName = "till-2", displayName = "Till", role = Roles.Cashier, password = "short" }, Ct);
        var weakErrors = (await weak.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(weakErrors.GetProperty("password").GetArrayLength() > 0);
        Assert.False(weakErrors.TryGetProperty("userName", out _));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_audit_log_is_filtered_by_user_kind_and_time(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        using var admin = await app.CreateUserClientAsync(Roles.Admin);
        using var other = await app.CreateUserClientAsync(Roles.Admin);
        var me = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/auth/me", Ct)).GetProperty("userName").GetString()!;
        var before = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        (await admin.PostAsJsonAsync("/api/v1/users", new { userName = "a1", displayName = "A", role = Roles.Cashier, password = "Right-Password-1" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "k1", scopes = new[] { "collect" } }, Ct)).EnsureSuccessStatusCode();
        (await other.PostAsJsonAsync("/api/v1/users", new { userName = "b1", displayName = "B", role = Roles.Cashier, password = "Right-Password-1" }, Ct)).EnsureSuccessStatusCode();

        var mine = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?actor={me}", Ct);
        Assert.Equal(["apikey.created", "user.created"], mine.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()));
        var myUsers = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?actor={me}&action=user.", Ct);
        Assert.Equal("user:a1", Assert.Single(myUsers.GetProperty("items").EnumerateArray()).GetProperty("target").GetString());

        string At(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var recent = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=user.created&from={At(before)}", Ct);
        Assert.Equal(2, recent.GetProperty("total").GetInt32());
        var future = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=user.created&from={At(TimeProvider.System.GetUtcNow().AddHours(1))}", Ct);
        Assert.Equal(0, future.GetProperty("total").GetInt32());
        var past = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=user.created&to={At(before)}", Ct);
        Assert.Equal(0, past.GetProperty("total").GetInt32());
    }

    private static async Task<JsonElement> UserAsync(HttpClient admin, string userName) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/users?search=" + userName, Ct)).GetProperty("items").EnumerateArray().Single(u => u.GetProperty("userName").GetString() == userName);
}
