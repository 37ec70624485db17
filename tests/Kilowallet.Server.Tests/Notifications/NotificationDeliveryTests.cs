using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Notifications;

/// <summary>Balance events through the real API to SMS, email, in-app and webhooks, across outages, quiet hours, replays and restarts.</summary>
public sealed class NotificationDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Crossing_warning_1_through_the_api_sends_one_sms_one_email_and_one_in_app_message_in_the_tenants_language(string provider)
    {
        await using var harness = await NotificationHarness.StartAsync(provider);
        var (tenant, account, phone) = await harness.MakeTenantAsync(Language.SimplifiedChinese, "owner@shop.test");
        using var op = await harness.ApiClientAsync(ApiKeyScopes.Operate);
        await NotificationHarness.MoveAsync(op, account, 120m);
        await NotificationHarness.MoveAsync(op, account, -30m);

        Assert.Equal(1, await harness.ConsumeAsync());
        var summary = await harness.DispatchAsync();
        Assert.Equal(3, summary.Sent);

        var sms = Assert.Single(harness.Sms.Requests);
        Assert.Equal("POST", sms.Method);
        Assert.Equal("/sms/send", sms.PathAndQuery);
        Assert.Equal("gateway-key", sms.Headers["X-Api-Key"]);
        var smsBody = JsonDocument.Parse(sms.Body).RootElement;
        Assert.Equal(phone, smsBody.GetProperty("to").GetString());
        Assert.Equal("【Tenant 0】电费余额为90.00元，已低于提醒金额，请及时充值。", smsBody.GetProperty("text").GetString());
        Assert.Equal(smsBody.GetProperty("id").GetString(), sms.Headers["Idempotency-Key"]);

        var mail = Assert.Single(await harness.Smtp.WaitForAsync(1, Patience));
        Assert.Equal("owner@shop.test", mail.To.Mailboxes.Single().Address);
        Assert.Equal("电费余额提醒", mail.Subject);
        Assert.Contains("90.00元", mail.TextBody, StringComparison.Ordinal);

        var (tenantUser, _) = await harness.UserClientAsync(Roles.Tenant, tenant);
        var inbox = await tenantUser.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications", Ct);
        var item = Assert.Single(inbox.GetProperty("items").EnumerateArray());
        Assert.Equal("warning-1", item.GetProperty("kind").GetString());
        Assert.Equal("电费余额提醒", item.GetProperty("title").GetString());
        Assert.False(item.GetProperty("read").GetBoolean());

        // Another tenant sees none of it and cannot mark it read.
        var (other, _, _) = await harness.MakeTenantAsync();
        var (otherUser, _) = await harness.UserClientAsync(Roles.Tenant, other);
        Assert.Equal(0, (await otherUser.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications", Ct)).GetProperty("total").GetInt32());
        var id = item.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NotFound, (await otherUser.PostAsync($"/api/v1/me/notifications/{id}/read", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await tenantUser.PostAsync($"/api/v1/me/notifications/{id}/read", null, Ct)).StatusCode);
        var read = await tenantUser.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications", Ct);
        Assert.True(read.GetProperty("items")[0].GetProperty("read").GetBoolean());
        Assert.Equal(0, (await tenantUser.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications?unreadOnly=true", Ct)).GetProperty("total").GetInt32());

        // The same events read again (the cursor replayed from the start) send nothing new.
        await ResetCursorAsync(harness);
        Assert.Equal(1, await harness.ConsumeAsync());
        Assert.Equal(0, (await harness.DispatchAsync()).Claimed);
        Assert.Single(harness.Sms.Requests);
        Assert.Single(harness.Smtp.Messages);
        Assert.Equal(3, (await harness.OutboxAsync(tenant)).Count);
    }

    [Fact]
    public async Task The_sms_gateway_down_keeps_the_message_in_the_outbox_and_it_is_delivered_once_when_it_returns()
    {
        await using var harness = await NotificationHarness.StartAsync("sqlite");
        var (tenant, account, phone) = await harness.MakeTenantAsync();
        using var op = await harness.ApiClientAsync(ApiKeyScopes.Operate);
        await NotificationHarness.MoveAsync(op, account, 120m);
        await NotificationHarness.MoveAsync(op, account, -30m);
        await harness.ConsumeAsync();

        harness.Sms.Behaviour = HttpSink.Mode.Fail;
        var failed = await harness.DispatchAsync();
        Assert.Equal((1, 1, 0), (failed.Sent, failed.Retrying, failed.Failed));
        var waiting = await op.GetFromJsonAsync<JsonElement>($"/api/v1/notifications?tenantId={tenant.Value}&channel=sms&status=pending", Ct);
        var row = Assert.Single(waiting.GetProperty("items").EnumerateArray());
        Assert.Equal(1, row.GetProperty("attempts").GetInt32());
        Assert.Contains("500", row.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(harness.Clock.GetUtcNow().AddSeconds(60), row.GetProperty("nextAttemptAt").GetDateTimeOffset());
        Assert.Equal(phone, row.GetProperty("address").GetString());

        // Not due yet: nothing is tried.
        Assert.Equal(0, (await harness.DispatchAsync()).Claimed);
        harness.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, (await harness.DispatchAsync()).Claimed);

        // The gateway fails once more: the wait doubles.
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await harness.DispatchAsync()).Retrying);
        var again = (await harness.OutboxAsync(tenant)).Single(m => m.Channel == NotificationChannel.Sms);
        Assert.Equal(harness.Clock.GetUtcNow().AddSeconds(120), again.NextAttemptAt);

        harness.Sms.Behaviour = HttpSink.Mode.Accept;
        harness.Clock.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal(1, (await harness.DispatchAsync()).Sent);
        Assert.Equal(0, (await harness.DispatchAsync()).Claimed);

        var attempts = harness.Sms.Requests;
        Assert.Equal(3, attempts.Count);
        Assert.Equal([500, 500, 200], attempts.Select(a => a.AnsweredStatus));
        Assert.Single(attempts.Select(a => a.Headers["Idempotency-Key"]).Distinct());
        var sent = (await harness.OutboxAsync(tenant)).Single(m => m.Channel == NotificationChannel.Sms);
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Equal(3, sent.Attempts);
        Assert.Null(sent.LastError);
    }

    [Fact]
    public async Task A_hanging_gateway_times_out_and_the_retry_carries_the_same_message_id()
    {
        await using var harness = await NotificationHarness.StartAsync("sqlite", new Dictionary<string, string?> { ["Notifications:SendTimeoutSeconds"] = "1" }, email: false);
        var (_, account, _) = await harness.MakeTenantAsync();
        await harness.InTransactionAsync((c, t) => harness.Services.GetRequiredService<NotificationOutbox>().EnqueueAsync(
            c, t, NotificationRequest.TopUp(account, IdempotencyKey.ForReceipt("R-1"), Money.Yuan(50), Money.Yuan(50), harness.Clock.GetUtcNow()), Ct));

        harness.Sms.Behaviour = HttpSink.Mode.Hang;
        Assert.Equal(1, (await harness.DispatchAsync()).Retrying);
        var row = (await harness.OutboxAsync()).Single(m => m.Channel == NotificationChannel.Sms);
        Assert.Contains("may have been accepted", row.LastError, StringComparison.Ordinal);

        harness.Sms.Behaviour = HttpSink.Mode.Accept;
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await harness.DispatchAsync()).Sent);
        Assert.Single(harness.Sms.Requests.Select(r => r.Headers["Idempotency-Key"]).Distinct());
    }

    [Fact]
    public async Task A_message_fails_after_the_last_attempt_and_support_can_put_it_back_in_the_queue()
    {
        await using var harness = await NotificationHarness.StartAsync("sqlite", new Dictionary<string, string?> { ["Notifications:MaxAttempts"] = "2" }, email: false);
        var (tenant, account, _) = await harness.MakeTenantAsync();
        await harness.InTransactionAsync((c, t) => harness.Services.GetRequiredService<NotificationOutbox>().EnqueueAsync(
            c, t, NotificationRequest.TopUp(account, IdempotencyKey.ForReceipt("R-2"), Money.Yuan(50), Money.Yuan(50), harness.Clock.GetUtcNow()), Ct));
        harness.Sms.Behaviour = HttpSink.Mode.Fail;
        await harness.DispatchAsync();
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, (await harness.DispatchAsync()).Failed);
        harness.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, (await harness.DispatchAsync()).Claimed);

        using var op = await harness.ApiClientAsync(ApiKeyScopes.Operate);
        var failed = await op.GetFromJsonAsync<JsonElement>($"/api/v1/notifications?tenantId={tenant.Value}&status=failed", Ct);
        var id = Assert.Single(failed.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsync($"/api/v1/notifications/{(await harness.OutboxAsync()).Single(m => m.Channel == NotificationChannel.InApp).Id}/retry", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsync($"/api/v1/notifications/{id}/retry", null, Ct)).StatusCode);
        harness.Sms.Behaviour = HttpSink.Mode.Accept;
        Assert.Equal(1, (await harness.DispatchAsync()).Sent);
        Assert.Equal(3, harness.Sms.Requests.Count);
    }

    [Fact]
    public async Task Quiet_hours_hold_a_warning_until_the_morning_but_not_a_top_up_confirmation()
    {
        await using var harness = await NotificationHarness.StartAsync("sqlite", email: false);
        var (tenant, account, _) = await harness.MakeTenantAsync();
        using var op = await harness.ApiClientAsync(ApiKeyScopes.Operate);
        var today = harness.LocalToday;
        harness.Clock.SetUtcNow(NotificationHarness.Local(today, new TimeOnly(23, 30)));
        await NotificationHarness.MoveAsync(op, account, 120m);
        await NotificationHarness.MoveAsync(op, account, -30m);
        await harness.ConsumeAsync();
        await harness.InTransactionAsync((c, t) => harness.Services.GetRequiredService<NotificationOutbox>().EnqueueAsync(
            c, t, NotificationRequest.TopUp(account, IdempotencyKey.ForReceipt("R-night"), Money.Yuan(120), Money.Yuan(120), harness.Clock.GetUtcNow()), Ct));

        var morning = NotificationHarness.Local(today.AddDays(1), new TimeOnly(8, 0));
        var warning = (await harness.OutboxAsync(tenant)).Single(m => m.Channel == NotificationChannel.Sms && m.EventKey.StartsWith("warning-1", StringComparison.Ordinal));
        Assert.Equal(morning, warning.NotBefore);

        // At night: the top-up confirmation and both in-app messages go; the warning SMS waits.
        Assert.Equal(3, (await harness.DispatchAsync()).Sent);
        var night = Assert.Single(harness.Sms.Requests);
        Assert.Contains("top-up of ¥120.00 received", JsonDocument.Parse(night.Body).RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        harness.Clock.SetUtcNow(morning.AddMinutes(-1));
        Assert.Equal(0, (await harness.DispatchAsync()).Claimed);

        harness.Clock.SetUtcNow(morning);
        Assert.Equal(1, (await harness.DispatchAsync()).Sent);
        Assert.Contains("below your reminder level", JsonDocument.Parse(harness.Sms.Requests[1].Body).RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_is_signed_with_the_subscriptions_secret_and_carries_the_event_id()
    {
        await using var harness = await NotificationHarness.StartAsync("sqlite", sms: false, email: false);
        var (tenant, account, _) = await harness.MakeTenantAsync();
        using var admin = await harness.ApiClientAsync(ApiKeyScopes.Admin);
        var bad = await admin.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = "ftp://x", events = new[] { "warning-1" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var unknown = await admin.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = harness.Webhooks.Url("/hooks").ToString(), events = new[] { "warning-9" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var created = await admin.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = harness.Webhooks.Url("/hooks").ToString(), events = new[] { "warning-1", "top-up" }, description = "ERP" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var subscription = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var secret = subscription.GetProperty("secret").GetString()!;
        var listed = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/webhook-subscriptions", Ct)).GetProperty("items");
        Assert.False(listed[0].TryGetProperty("secret", out _));
        Assert.Equal(["top-up", "warning-1"], listed[0].GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        using var op = await harness.ApiClientAsync(ApiKeyScopes.Operate);
        await NotificationHarness.MoveAsync(op, account, 120m);
        await NotificationHarness.MoveAsync(op, account, -30m);
        await NotificationHarness.MoveAsync(op, account, -60m);
        await harness.ConsumeAsync();
        await harness.DispatchAsync();

        // warning-1 is subscribed; warning-2 and credit-exhausted are not.
        var hook = Assert.Single(harness.Webhooks.Requests);
        Assert.Equal("POST", hook.Method);
        var signature = hook.Headers[WebhookSignature.Header];
        var parts = signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(parts["t"] + "." + hook.Body)));
        Assert.Equal(expected, parts["v1"]);
        Assert.Equal(harness.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), parts["t"]);
        var payload = JsonDocument.Parse(hook.Body).RootElement;
        Assert.Equal(payload.GetProperty("id").GetString(), hook.Headers[WebhookSignature.EventIdHeader]);
        Assert.StartsWith("warning-1:account:", payload.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("warning-1", payload.GetProperty("type").GetString());
        Assert.Equal(90m, payload.GetProperty("balance").GetDecimal());
        Assert.Equal(tenant.Value, payload.GetProperty("tenantId").GetInt64());
        Assert.Contains("90.00元", payload.GetProperty("text").GetProperty("zh-Hans").GetString(), StringComparison.Ordinal);

        // A wrong secret does not verify.
        var forged = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret + "x"), Encoding.UTF8.GetBytes(parts["t"] + "." + hook.Body)));
        Assert.NotEqual(forged, parts["v1"]);

        // The test endpoint sends through the subscription at once.
        var test = await admin.PostAsJsonAsync("/api/v1/notifications/test", new { channel = "webhook", subscriptionId = subscription.GetProperty("id").GetInt64() }, Ct);
        Assert.True((await test.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("delivered").GetBoolean());
        Assert.Equal(2, harness.Webhooks.Requests.Count);

        // A deleted subscription gets nothing more; its queued messages are skipped.
        await harness.InTransactionAsync((c, t) => harness.Services.GetRequiredService<NotificationOutbox>().EnqueueAsync(
            c, t, NotificationRequest.TopUp(account, IdempotencyKey.ForReceipt("R-hook"), Money.Yuan(10), Money.Yuan(40), harness.Clock.GetUtcNow()), Ct));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/webhook-subscriptions/{subscription.GetProperty("id").GetInt64()}", Ct)).StatusCode);
        Assert.Equal(1, (await harness.DispatchAsync()).Skipped);
        Assert.Equal(2, harness.Webhooks.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_dispatchers_running_at_once_never_send_a_message_twice(string provider)
    {
        await using var harness = await NotificationHarness.StartAsync(provider, new Dictionary<string, string?> { ["Notifications:BatchSize"] = "3" }, email: false);
        var (_, account, _) = await harness.MakeTenantAsync();
        var outbox = harness.Services.GetRequiredService<NotificationOutbox>();
        const int count = 40;
        for (var i = 0; i < count; i++)
        {
            var receipt = "R-" + i.ToString(CultureInfo.InvariantCulture);
            await harness.InTransactionAsync((c, t) => outbox.EnqueueAsync(
                c, t, NotificationRequest.TopUp(account, IdempotencyKey.ForReceipt(receipt), Money.Yuan(10), Money.Yuan(10 * (i + 1)), harness.Clock.GetUtcNow()), Ct));
        }

        // Two dispatchers, as two nodes would have, on the same database.
        var first = ActivatorUtilities.CreateInstance<NotificationDispatcher>(harness.Services);
        var second = ActivatorUtilities.CreateInstance<NotificationDispatcher>(harness.Services);
        var results = await Task.WhenAll(
            Task.Run(() => first.RunOnceAsync(Ct), Ct),
            Task.Run(() => second.RunOnceAsync(Ct), Ct),
            Task.Run(() => first.RunOnceAsync(Ct), Ct),
            Task.Run(() => second.RunOnceAsync(Ct), Ct));

        Assert.Equal(2 * count, results.Sum(r => r.Sent));
        Assert.Equal(2 * count, results.Sum(r => r.Claimed));
        var ids = harness.Sms.Requests.Select(r => r.Headers["Idempotency-Key"]).ToList();
        Assert.Equal(count, ids.Count);
        Assert.Equal(count, ids.Distinct().Count());
        Assert.All(await harness.OutboxAsync(), m => Assert.Equal((OutboxStatus.Sent, 1), (m.Status, m.Attempts)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Messages_enqueued_before_a_restart_are_sent_once_after_it_and_the_cursor_survives(string provider)
    {
        await using var harness = await NotificationHarness.StartAsync(provider, email: false);
        var (tenant, account, _) = await harness.MakeTenantAsync();
        using (var op = await harness.ApiClientAsync(ApiKeyScopes.Operate))
        {
            await NotificationHarness.MoveAsync(op, account, 120m);
            await NotificationHarness.MoveAsync(op, account, -30m);
        }

        Assert.Equal(1, await harness.ConsumeAsync());
        await harness.RestartAsync();
        Assert.Equal(0, await harness.ConsumeAsync());
        Assert.Equal(2, (await harness.DispatchAsync()).Sent);

        await harness.RestartAsync();
        Assert.Equal(0, await harness.ConsumeAsync());
        Assert.Equal(0, (await harness.DispatchAsync()).Claimed);
        Assert.Single(harness.Sms.Requests);
        Assert.Equal(2, (await harness.OutboxAsync(tenant)).Count);
    }

    [Fact]
    public async Task The_background_workers_deliver_a_warning_without_being_driven()
    {
        await using var harness = await NotificationHarness.StartAsync(
            "sqlite", new Dictionary<string, string?> { ["Notifications:WorkersEnabled"] = "true", ["Notifications:PollSeconds"] = "1" }, email: false, realClock: true);
        var (tenant, account, phone) = await harness.MakeTenantAsync();
        using var op = await harness.ApiClientAsync(ApiKeyScopes.Operate);

        // No quiet hours, so the warning goes out whatever the time of day of this run.
        var settings = await op.PutAsJsonAsync($"/api/v1/tenants/{tenant.Value}/notification-settings", new { sms = true, email = false, inApp = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        await NotificationHarness.MoveAsync(op, account, 120m);
        await NotificationHarness.MoveAsync(op, account, -30m);

        var sms = Assert.Single(await harness.Sms.WaitForAsync(1, Patience));
        Assert.Equal(phone, JsonDocument.Parse(sms.Body).RootElement.GetProperty("to").GetString());
    }

    [Fact]
    public async Task The_consumer_waits_for_a_gap_in_event_ids_to_settle_and_passes_over_stale_events()
    {
        await using var harness = await NotificationHarness.StartAsync("sqlite", email: false);
        var (tenant, account, _) = await harness.MakeTenantAsync();
        var now = harness.Clock.GetUtcNow();

        // Event 1 is two days old; event 2 is missing (a transaction still open, or rolled back); event 3 is new.
        await InsertEventAsync(harness, 1, account, BalanceEvent.CrossedWarning1, now.AddDays(-2));
        await InsertEventAsync(harness, 3, account, BalanceEvent.CrossedWarning2, now);
        Assert.Equal(1, await harness.ConsumeAsync());
        Assert.Empty(await harness.OutboxAsync(tenant));

        harness.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await harness.ConsumeAsync());
        harness.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await harness.ConsumeAsync());
        var outbox = await harness.OutboxAsync(tenant);
        Assert.Equal(2, outbox.Count);
        Assert.All(outbox, m => Assert.Equal(Domain.Notifications.NotificationKind.Warning2Crossed, m.Kind));
    }

    private static Task<int> InsertEventAsync(NotificationHarness harness, long id, AccountId account, BalanceEvent kind, DateTimeOffset at) =>
        harness.InTransactionAsync(async (c, t) =>
        {
            await using var insert = c.CreateCommand();
            insert.Transaction = t;
            insert.CommandText = "INSERT INTO balance_events (id, account_id, kind, at, available_minor, cause) VALUES (@id, @account, @kind, @at, 4000, 'charge')";
            insert.AddParameter("@id", id);
            insert.AddParameter("@account", account.Value);
            insert.AddParameter("@kind", (int)kind);
            insert.AddParameter("@at", at.ToUnixTimeMilliseconds());
            return await insert.ExecuteNonQueryAsync(Ct);
        });

    private static async Task ResetCursorAsync(NotificationHarness harness)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var cursor = await db.ConsumerCursors.SingleAsync(c => c.Consumer == BalanceEventNotifier.Consumer, Ct);
        cursor.Position = 0;
        await db.SaveChangesAsync(Ct);
    }
}
