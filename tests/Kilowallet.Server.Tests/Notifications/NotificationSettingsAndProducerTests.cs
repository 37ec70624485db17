using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Safety;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Notifications;

/// <summary>Tenants' notification settings, operator alarms, the daily forecast, the SMS adapter's shapes, unconfigured channels and bad settings.</summary>
public sealed class NotificationSettingsAndProducerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Settings_default_to_sms_email_and_in_app_with_quiet_hours_and_turning_sms_off_stops_sms()
    {
        await using var harness = await NotificationHarness.StartAsync("sqlite");
        var (tenant, account, _) = await harness.MakeTenantAsync(Language.SimplifiedChinese, "owner@shop.test");
        using var op = await harness.ApiClientAsync(ApiKeyScopes.Operate);
        var url = $"/api/v1/tenants/{tenant.Value}/notification-settings";

        var defaults = await op.GetFromJsonAsync<JsonElement>(url, Ct);
        Assert.True(defaults.GetProperty("isDefault").GetBoolean());
        Assert.True(defaults.GetProperty("sms").GetBoolean() && defaults.GetProperty("email").GetBoolean() && defaults.GetProperty("inApp").GetBoolean());
        Assert.Equal("22:00", defaults.GetProperty("quietHours").GetProperty("start").GetString());
        Assert.Equal("08:00", defaults.GetProperty("quietHours").GetProperty("end").GetString());
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("language").ValueKind);

        Assert.Equal(HttpStatusCode.BadRequest, (await op.PutAsJsonAsync(url, new { sms = true, email = true, inApp = true, quietHours = new { start = "22:00", end = "22:00" } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PutAsJsonAsync(url, new { sms = true, email = true, inApp = true, quietHours = new { start = "25:00", end = "08:00" } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync("/api/v1/tenants/999999/notification-settings", Ct)).StatusCode);

        var changed = await op.PutAsJsonAsync(url, new { sms = false, email = true, inApp = true, quietHours = new { start = "21:00", end = "07:30" }, language = "english" }, Ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var stored = await op.GetFromJsonAsync<JsonElement>(url, Ct);
        Assert.False(stored.GetProperty("isDefault").GetBoolean());
        Assert.False(stored.GetProperty("sms").GetBoolean());
        Assert.Equal("21:00", stored.GetProperty("quietHours").GetProperty("start").GetString());
        Assert.Equal("english", stored.GetProperty("language").GetString());

        // A tenant reads and changes their own settings, and nobody else's.
        var (tenantUser, _) = await harness.UserClientAsync(Roles.Tenant, tenant);
        Assert.False((await tenantUser.GetFromJsonAsync<JsonElement>("/api/v1/me/notification-settings", Ct)).GetProperty("sms").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantUser.GetAsync(url, Ct)).StatusCode);
        var own = await tenantUser.PutAsJsonAsync("/api/v1/me/notification-settings", new { sms = false, email = true, inApp = true, language = "english" }, Ct);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await own.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("quietHours").ValueKind);
        var (cashier, _) = await harness.UserClientAsync(Roles.Cashier);
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync(url, Ct)).StatusCode);

        await NotificationHarness.MoveAsync(op, account, 120m);
        await NotificationHarness.MoveAsync(op, account, -30m);
        await harness.ConsumeAsync();
        Assert.Equal(2, (await harness.DispatchAsync()).Sent);
        Assert.Empty(harness.Sms.Requests);
        var mail = Assert.Single(await harness.Smtp.WaitForAsync(1, Patience));
        Assert.Equal("Low electricity balance", mail.Subject);
        Assert.Equal("Tenant 0: your electricity balance is ¥90.00, below your reminder level. Please top up.", mail.TextBody!.Trim());
    }

    [Fact]
    public async Task Operator_alarms_reach_the_staff_of_the_alarm_roles_in_app_and_by_email_once()
    {
        await using var harness = await NotificationHarness.StartAsync("sqlite", sms: false);
        var (operatorClient, _) = await harness.UserClientAsync(Roles.Operator, email: "ops@mall.test");
        var (cashierClient, _) = await harness.UserClientAsync(Roles.Cashier, email: "till@mall.test");
        var alarm = NotificationRequest.OperatorAlarm(
            new AlarmKey(AlarmType.Overload, AlarmSource.Meter(new MeterId(7))), harness.Clock.GetUtcNow(), "Meter 1F-012", "12.5 kW above the 10 kW limit for 60 s.");
        var outbox = harness.Services.GetRequiredService<NotificationOutbox>();
        Assert.True(await harness.InTransactionAsync((c, t) => outbox.EnqueueAsync(c, t, alarm, Ct)) >= 2);
        Assert.Equal(0, await harness.InTransactionAsync((c, t) => outbox.EnqueueAsync(c, t, alarm, Ct)));
        await harness.DispatchAsync();

        var inbox = await operatorClient.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications", Ct);
        var item = Assert.Single(inbox.GetProperty("items").EnumerateArray());
        Assert.Equal("operator-alarm", item.GetProperty("kind").GetString());
        Assert.Equal("Alarm: overload", item.GetProperty("title").GetString());
        Assert.Equal("Meter 1F-012: overload. 12.5 kW above the 10 kW limit for 60 s.", item.GetProperty("body").GetString());
        Assert.Equal(0, (await cashierClient.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications", Ct)).GetProperty("total").GetInt32());

        var mail = Assert.Single(await harness.Smtp.WaitForAsync(1, Patience));
        Assert.Equal("ops@mall.test", mail.To.Mailboxes.Single().Address);
        Assert.Equal("Alarm: overload", mail.Subject);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_daily_forecast_tells_a_tenant_about_two_days_of_credit_left_once_a_day_after_ten(string provider)
    {
        await using var harness = await NotificationHarness.StartAsync(provider, email: false);
        var (_, account, phone) = await harness.MakeTenantAsync();
        var today = harness.LocalToday.AddDays(1);
        harness.Clock.SetUtcNow(NotificationHarness.Local(today, new TimeOnly(9, 0)));
        using var op = await harness.ApiClientAsync(ApiKeyScopes.Operate);
        await NotificationHarness.MoveAsync(op, account, 190m);

        // 140 yuan of fixed fees in the last seven days: 20 a day; 50 left lasts 2 days.
        var ledger = harness.Services.GetRequiredService<LedgerWriter>();
        var connections = harness.Services.GetRequiredService<StorageConnections>();
        await ledger.EnsureAccountsAsync(connections, [LedgerAccountKey.Wallet(account), LedgerAccountKey.FixedFeeRevenue], Ct);
        for (var day = 0; day < 7; day++)
        {
            var key = IdempotencyKey.ForSystem($"fee:{account.Value}:{day}");
            await harness.InTransactionAsync((c, t) => ledger.PostAsync(c, t, Posting.FixedFee(account, Money.Yuan(20), key, "Daily service fee"), new EntryDetails { Account = account }, Ct));
            harness.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var job = harness.Services.GetRequiredService<ExhaustionForecastJob>();
        Assert.Equal(0, await job.RunOnceAsync(Ct));

        harness.Clock.SetUtcNow(NotificationHarness.Local(today, new TimeOnly(10, 30)));
        Assert.Equal(2, await job.RunOnceAsync(Ct));
        Assert.Equal(0, await job.RunOnceAsync(Ct));
        Assert.Equal(2, (await harness.DispatchAsync()).Sent);
        var sms = JsonDocument.Parse(Assert.Single(harness.Sms.Requests).Body).RootElement;
        Assert.Equal(phone, sms.GetProperty("to").GetString());
        Assert.Equal("Tenant 0: at your use over the last 7 days, your balance of ¥50.00 lasts about 2 days. Please top up in time.", sms.GetProperty("text").GetString());

        // A week later the fees are out of the window: nothing to extrapolate from.
        harness.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(0, await job.RunOnceAsync(Ct));
    }

    [Fact]
    public async Task Channels_that_are_not_configured_are_skipped_and_the_test_endpoint_says_so()
    {
        await using var harness = await NotificationHarness.StartAsync("sqlite", sms: false, email: false);
        var (tenant, account, phone) = await harness.MakeTenantAsync(email: "owner@shop.test");
        using var op = await harness.ApiClientAsync(ApiKeyScopes.Operate);
        await NotificationHarness.MoveAsync(op, account, 120m);
        await NotificationHarness.MoveAsync(op, account, -30m);
        await harness.ConsumeAsync();
        var row = Assert.Single(await harness.OutboxAsync(tenant));
        Assert.Equal(NotificationChannel.InApp, row.Channel);

        using var admin = await harness.ApiClientAsync(ApiKeyScopes.Admin);
        var test = await admin.PostAsJsonAsync("/api/v1/notifications/test", new { channel = "sms", address = phone }, Ct);
        var result = await test.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(result.GetProperty("delivered").GetBoolean());
        Assert.Contains("not configured", result.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/notifications/test", new { channel = "pigeon", address = "x" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/notifications/test", new { channel = "email" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("/api/v1/notifications/test", new { channel = "sms", address = phone }, Ct)).StatusCode);

        // The outbox is for staff; the inbox is for people, not API keys.
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/api/v1/notifications?channel=fax", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/api/v1/me/notifications", Ct)).StatusCode);
        var (tenantUser, _) = await harness.UserClientAsync(Roles.Tenant, tenant);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantUser.GetAsync("/api/v1/notifications", Ct)).StatusCode);
        Assert.Equal(1, (await op.GetFromJsonAsync<JsonElement>($"/api/v1/notifications?tenantId={tenant.Value}&channel=inApp&kind=warning-1", Ct)).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("form")]
    [InlineData("get")]
    public async Task The_sms_adapter_posts_a_form_or_fills_a_get_url_as_configured(string shape)
    {
        await using var sink = await HttpSink.StartAsync();
        var settings = shape == "form"
            ? new Dictionary<string, string?>
            {
                ["Notifications:Sms:ContentType"] = "form",
                ["Notifications:Sms:BodyTemplate"] = "to={phone}&msg={text}&ref={id}",
            }
            : new Dictionary<string, string?>
            {
                ["Notifications:Sms:Method"] = "GET",
                ["Notifications:Sms:Url"] = sink.Url("/send") + "?to={phone}&msg={text}&ref={id}",
            };
        await using var harness = await NotificationHarness.StartAsync("sqlite", settings, email: false);
        var target = shape == "form" ? harness.Sms : sink;
        var (_, account, phone) = await harness.MakeTenantAsync(Language.SimplifiedChinese);
        await harness.InTransactionAsync((c, t) => harness.Services.GetRequiredService<NotificationOutbox>().EnqueueAsync(
            c, t, NotificationRequest.TopUp(account, IdempotencyKey.ForReceipt("R-9"), Money.Yuan(100), Money.Yuan(100), harness.Clock.GetUtcNow()), Ct));
        Assert.Equal(2, (await harness.DispatchAsync()).Sent);

        var request = Assert.Single(target.Requests);
        Assert.Equal(shape == "form" ? "POST" : "GET", request.Method);
        var fields = QueryHelpers.ParseQuery(shape == "form" ? request.Body : new Uri(target.BaseAddress, request.PathAndQuery).Query);
        Assert.Equal(phone, fields["to"].ToString());
        Assert.Equal("【Tenant 0】充值100.00元已到账，当前余额100.00元。", fields["msg"].ToString());
        Assert.Equal(request.Headers["Idempotency-Key"], fields["ref"].ToString());
    }

    [Fact]
    public async Task A_gateway_answer_without_the_success_value_is_retried()
    {
        await using var harness = await NotificationHarness.StartAsync("sqlite", email: false);
        var (tenant, account, _) = await harness.MakeTenantAsync();
        harness.Sms.ResponseBody = """{"code":"E42","message":"throttled"}""";
        await harness.InTransactionAsync((c, t) => harness.Services.GetRequiredService<NotificationOutbox>().EnqueueAsync(
            c, t, NotificationRequest.TopUp(account, IdempotencyKey.ForReceipt("R-10"), Money.Yuan(100), Money.Yuan(100), harness.Clock.GetUtcNow()), Ct));
        Assert.Equal(1, (await harness.DispatchAsync()).Retrying);
        var row = (await harness.OutboxAsync(tenant)).Single(m => m.Channel == NotificationChannel.Sms);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Contains("without code = 0", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_notification_setting_stops_the_server_with_a_sentence_naming_it()
    {
        var outcome = await ServerProcess.RunAsync(
            ["--urls", "http://127.0.0.1:0", "--no-demo"],
            new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = Path.Combine(Path.GetTempPath(), "kilowallet-tests", Guid.NewGuid().ToString("N")),
                ["Notifications:Sms:Url"] = "http://127.0.0.1:9/sms",
                ["Notifications:Sms:ContentType"] = "xml",
            },
            TimeSpan.FromSeconds(60));

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("Kilowallet cannot start: Notifications:Sms:ContentType must be json or form, not 'xml'.", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadOptions => new()
    {
        { "LeaseSeconds", "60", "Notifications:LeaseSeconds must be at least BatchSize × SendTimeoutSeconds + 30" },
        { "ForecastLocalTime", "10am", "Notifications:ForecastLocalTime must be a time of day as HH:mm" },
        { "AlarmRoles:0", "tenant", "Notifications:AlarmRoles may name admin, operator or cashier, not 'tenant'." },
        { "Sms:Url", "ftp://gateway", "Notifications:Sms:Url must be an absolute http or https URL" },
        { "Sms:BodyTemplate", "{\"to\":{phone}}", "Notifications:Sms:BodyTemplate does not give JSON once filled in" },
        { "Email:Host", "smtp.mall.test", "Notifications:Email:FromAddress must be an email address" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_notification_settings_are_named(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>();
        if (key.StartsWith("Sms:", StringComparison.Ordinal))
        {
            settings["Notifications:Sms:Url"] = "http://gw.test/sms";
        }

        settings["Notifications:" + key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddKilowalletNotifications(configuration).BuildServiceProvider();
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationOptions>>().Value);
        Assert.Contains(error.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }
}
