using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kilowallet.Domain;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Kilowallet.Server.Tests.Notifications;
using Kilowallet.Server.Tests.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kilowallet.Server.Tests.Portal;

/// <summary>Shop owners sign in with a one-time code sent by SMS (a local gateway sink) or email: hashed, short-lived, single-use, rate-limited.</summary>
public sealed partial class PortalSignInTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex SixDigits();

    private sealed class Harness : IAsyncDisposable
    {
        public required TestDatabase Database { get; init; }

        public required HttpSink Sms { get; init; }

        public required KilowalletApp App { get; init; }

        public required FakeTimeProvider Clock { get; init; }

        public required ReportData.Made Made { get; init; }

        public required string Phone { get; init; }

        public static async Task<Harness> StartAsync(string provider)
        {
            var database = await TestDatabase.CreateAsync(provider);
            var sms = await HttpSink.StartAsync();
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero));
            var app = new KilowalletApp(database, new Dictionary<string, string?>
            {
                ["Notifications:WorkersEnabled"] = "false",
                ["Notifications:Sms:Url"] = sms.Url("/sms").ToString(),
                ["Auth:LoginAttemptsPerMinute"] = "1000",
            }, clock);
            var made = await ReportData.MakeAsync(app.Services, Ct);
            await using var scope = app.Services.CreateAsyncScope();
            var phone = (await scope.ServiceProvider.GetRequiredService<KilowalletDb>().Tenants.SingleAsync(t => t.Id == made.TenantA, Ct)).Phone!;
            return new Harness { Database = database, Sms = sms, App = app, Clock = clock, Made = made, Phone = phone };
        }

        /// <summary>Asks for a code and returns the one the SMS gateway received.</summary>
        public async Task<string> CodeAsync(HttpClient client, string destination, int smsSoFar)
        {
            using var asked = await client.PostAsJsonAsync("/api/v1/auth/tenant/code", new { destination, language = "en" }, Ct);
            Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
            await App.Services.GetRequiredService<NotificationDispatcher>().RunOnceAsync(Ct);
            var sent = await Sms.WaitForAsync(smsSoFar + 1, TimeSpan.FromSeconds(10));
            return SixDigits().Match(sent[^1].Body).Groups[1].Value;
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Sms.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_shop_owner_signs_in_with_the_code_sent_to_their_phone_and_sees_only_their_shop(string provider)
    {
        await using var h = await Harness.StartAsync(provider);
        using var client = h.App.CreateClient();

        // Typed the local way, with spaces and without +86.
        var typed = h.Phone[3..6] + " " + h.Phone[6..10] + " " + h.Phone[10..];
        var code = await h.CodeAsync(client, typed, 0);
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Contains("sign-in code", h.Sms.Requests[0].Body, StringComparison.Ordinal);
        Assert.Contains(h.Phone, h.Sms.Requests[0].Body, StringComparison.Ordinal);

        await using (var scope = h.App.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<KilowalletDb>().SignInCodes.SingleAsync(c => c.Destination == h.Phone, Ct);
            Assert.DoesNotContain(code, stored.CodeHash, StringComparison.Ordinal);
            Assert.Equal(64, stored.CodeHash.Length);
        }

        using var signedIn = await client.PostAsJsonAsync("/api/v1/auth/tenant/sign-in", new { destination = h.Phone, code }, Ct);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kw.auth=", StringComparison.Ordinal));
        var expires = DateTimeOffset.Parse(Regex.Match(cookie, "expires=([^;]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(expires - h.Clock.GetUtcNow() > TimeSpan.FromDays(29), cookie);

        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/me", Ct);
        Assert.Equal(h.Made.TenantA.Value, me.GetProperty("tenantId").GetInt64());
        using var home = await client.GetAsync("/my", Ct);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/my/statements/{h.Made.A2.Value}/2026-03", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/reports/analysis", Ct)).StatusCode);

        // Single use: the same code again signs nobody in.
        using var again = h.App.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.PostAsJsonAsync("/api/v1/auth/tenant/sign-in", new { destination = h.Phone, code }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Codes_expire_die_after_five_wrong_tries_and_cannot_be_asked_for_too_often()
    {
        await using var h = await Harness.StartAsync("sqlite");
        using var client = h.App.CreateClient();
        var first = await h.CodeAsync(client, h.Phone, 0);

        // Again within a minute: refused; a minute later: a new code, and the first one no longer works.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync("/api/v1/auth/tenant/code", new { destination = h.Phone }, Ct)).StatusCode);
        h.Clock.Advance(TimeSpan.FromSeconds(61));
        var second = await h.CodeAsync(client, h.Phone, 1);
        if (first != second)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/tenant/sign-in", new { destination = h.Phone, code = first }, Ct)).StatusCode);
        }

        // Five wrong codes kill the live one, even if the right one comes next.
        var wrong = second == "000000" ? "111111" : "000000";
        for (var i = 0; i < TenantSignIn.MaxWrongAttempts; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/tenant/sign-in", new { destination = h.Phone, code = wrong }, Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/tenant/sign-in", new { destination = h.Phone, code = second }, Ct)).StatusCode);

        // A fresh code is good for ten minutes only.
        h.Clock.Advance(TimeSpan.FromSeconds(61));
        var third = await h.CodeAsync(client, h.Phone, 2);
        h.Clock.Advance(TenantSignIn.CodeLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/tenant/sign-in", new { destination = h.Phone, code = third }, Ct)).StatusCode);

        // At most five codes an hour per address.
        for (var i = 0; i < 2; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(61));
            await h.CodeAsync(client, h.Phone, 3 + i);
        }

        h.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync("/api/v1/auth/tenant/code", new { destination = h.Phone }, Ct)).StatusCode);

        // An address no tenant has gets the same answer and no message.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/auth/tenant/code", new { destination = "+8613900000001" }, Ct)).StatusCode);
        await h.App.Services.GetRequiredService<NotificationDispatcher>().RunOnceAsync(Ct);
        Assert.Equal(5, h.Sms.Requests.Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/v1/auth/tenant/code", new { destination = "not a phone" }, Ct)).StatusCode);
    }

    [Fact]
    public void Phone_numbers_and_emails_are_normalised()
    {
        Assert.Equal("+8613800138000", TenantSignIn.Normalize("138 0013 8000"));
        Assert.Equal("+8613800138000", TenantSignIn.Normalize("+86 138-0013-8000"));
        Assert.Equal("+8613800138000", TenantSignIn.Normalize("0086 13800138000"));
        Assert.Equal("owner@shop.cn", TenantSignIn.Normalize(" Owner@Shop.CN "));
        Assert.Null(TenantSignIn.Normalize("owner@shop"));
        Assert.Null(TenantSignIn.Normalize("12ab"));
        Assert.Null(TenantSignIn.Normalize(""));
        Assert.Equal(Language.English, Kilowallet.Server.Web.Localization.UiLanguage.Parse("en"));
    }
}
