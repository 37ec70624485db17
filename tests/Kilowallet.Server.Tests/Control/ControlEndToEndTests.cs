using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain.Control;
using Kilowallet.Domain.Notifications;
using Kilowallet.Domain.Safety;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Control;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SimRelay = Kilowallet.Simulator.Meters.RelayState;

namespace Kilowallet.Server.Tests.Control;

/// <summary>
/// Prepaid control end to end: the real server polls a simulated mall over real sockets; money moves through
/// the real API; the relay is read from the virtual meter itself.
/// </summary>
public sealed class ControlEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Exhausted_credit_opens_the_relay_and_a_top_up_through_the_API_closes_it_again(string provider)
    {
        await using var mall = await ControlMall.StartAsync(provider);
        using var op = await mall.OperatorAsync();
        using var till = await mall.App.CreateApiClientAsync(ApiKeyScopes.Collect);

        await mall.MoveAsync(op, "K1", -100m);
        await mall.UntilRelayAsync("K1", SimRelay.Open);
        var trip = Assert.Single(await Eventually.ValueAsync(() => mall.CommandsAsync("K1"), c => c is [{ Status: RelayCommandStatus.Verified }], "the trip to be verified"));
        Assert.Equal(RelayState.Open, trip.Target);
        Assert.Equal(RelayCause.BalanceExhausted, trip.Cause);
        Assert.Equal(RelayCommandService.System, trip.RequestedBy);
        Assert.Equal("trip", trip.Action);
        Assert.Equal(1, trip.Attempts);
        Assert.Equal(Metering.RelayReport.Open, trip.ReadBack);
        Assert.NotNull(trip.SentAt);
        Assert.NotNull(trip.VerifiedAt);
        Assert.True(trip.LatencyMs is >= 0, $"latency {trip.LatencyMs} ms"); // how fast is the bench's business (control scenario)
        Assert.Equal(SimRelay.Closed, mall.RelayOf("K2"));
        await Eventually.UntilAsync(async () => (await mall.NotificationsAsync("K1")).Any(n => n.Kind == NotificationKind.PowerCut), "the power-cut notification");

        await mall.MoveAsync(till, "K1", 50m);
        await mall.UntilRelayAsync("K1", SimRelay.Closed);
        var commands = await Eventually.ValueAsync(() => mall.CommandsAsync("K1"), c => c is [_, { Status: RelayCommandStatus.Verified }], "the reconnection to be verified");
        Assert.Equal(RelayState.Closed, commands[1].Target);
        Assert.Equal(RelayCause.BalanceRestored, commands[1].Cause);
        Assert.Equal("close", commands[1].Action);
        await Eventually.UntilAsync(async () => (await mall.NotificationsAsync("K1")).Any(n => n.Kind == NotificationKind.Reconnected), "the reconnected notification");
        var kinds = (await mall.NotificationsAsync("K1")).Select(n => n.Kind).ToList();
        Assert.Contains(NotificationKind.TopUpReceived, kinds);
        Assert.DoesNotContain(NotificationKind.ReconnectPressButton, kinds);

        var view = await op.GetFromJsonAsync<JsonElement>($"/api/v1/meters/{mall["K1"].Id.Value}/control", Ct);
        Assert.Equal("closed", view.GetProperty("desired").GetString());
        Assert.Equal("closed", view.GetProperty("commanded").GetString());
        // The decision that sent the command (a later sweep may since have decided "no change").
        Assert.Equal("reconnect now (balance-restored)", view.GetProperty("latestCommand").GetProperty("reason").GetString());
        Assert.Equal("none", view.GetProperty("decisionNow").GetProperty("action").GetString());
        Assert.Equal(2, view.GetProperty("latestCommand").GetProperty("sequence").GetInt64());
        var history = await op.GetFromJsonAsync<JsonElement>($"/api/v1/meters/{mall["K1"].Id.Value}/commands", Ct);
        Assert.Equal(2, history.GetProperty("total").GetInt32());
        Assert.Equal("verified", history.GetProperty("items")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_close_allowed_meter_is_armed_by_the_top_up_and_the_tenant_is_asked_to_press_the_button()
    {
        await using var mall = await ControlMall.StartAsync();
        using var op = await mall.OperatorAsync();

        await mall.MoveAsync(op, "D1", -100m);
        await mall.UntilRelayAsync("D1", SimRelay.Open);
        await mall.MoveAsync(op, "D1", 50m);
        var commands = await Eventually.ValueAsync(() => mall.CommandsAsync("D1"), c => c is [{ Status: RelayCommandStatus.Verified }, { Status: RelayCommandStatus.Verified }], "the close-allowed command to be verified");
        Assert.Equal("close_allowed", commands[1].Action);
        Assert.Equal(Metering.RelayReport.Open, commands[1].ReadBack);
        Assert.Contains("button", commands[1].Error, StringComparison.Ordinal);

        // Armed, not closed: the supply comes back when the tenant presses the button.
        Assert.Equal(SimRelay.Open, mall.RelayOf("D1"));
        var notices = await Eventually.ValueAsync(() => mall.NotificationsAsync("D1"), n => n.Any(m => m.Kind == NotificationKind.ReconnectPressButton), "the press-the-button notification");
        Assert.Contains("Press the button", notices.First(m => m.Kind == NotificationKind.ReconnectPressButton).Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(notices, m => m.Kind == NotificationKind.Reconnected);

        await Eventually.ValueAsync(() => mall.ControlRowAsync("D1"), r => r?.Reported == Metering.RelayReport.Open, "a poll to store the open relay");

        Assert.True(mall["D1"].Virtual.PressButton());
        await mall.UntilRelayAsync("D1", SimRelay.Closed);
        await Eventually.UntilAsync(
            async () => (await op.GetFromJsonAsync<JsonElement>($"/api/v1/meters/{mall["D1"].Id.Value}/control", Ct)).GetProperty("reported").GetString() == "closed",
            "the server to see the relay closed");
        await Eventually.ValueAsync(() => mall.ControlRowAsync("D1"), r => r?.Reported == Metering.RelayReport.Closed, "the stored relay state to follow the button");
        Assert.Equal(2, (await mall.CommandsAsync("D1")).Count);
    }

    [Fact]
    public async Task A_4G_meter_is_cut_and_reconnected_over_MQTT()
    {
        await using var mall = await ControlMall.StartAsync(meters: [], mqtt: true);
        using var op = await mall.OperatorAsync();

        await mall.MoveAsync(op, "Q1", -100m);
        await mall.UntilRelayAsync("Q1", SimRelay.Open);
        await mall.MoveAsync(op, "Q1", 50m);
        await mall.UntilRelayAsync("Q1", SimRelay.Closed);
        var commands = await Eventually.ValueAsync(() => mall.CommandsAsync("Q1"), c => c is [{ Status: RelayCommandStatus.Verified }, { Status: RelayCommandStatus.Verified }], "both commands to be verified");
        Assert.Equal([RelayState.Open, RelayState.Closed], commands.Select(c => c.Target));
        Assert.All(commands, c => Assert.Equal(1, c.Attempts));
    }

    [Fact]
    public async Task Friendly_hours_defer_the_cut_to_the_next_allowed_time()
    {
        // Wednesday 4 March 2026, 22:00 in Shanghai: inside the nightly window.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 22, 0, 0, TimeSpan.FromHours(8)));
        await using var mall = await ControlMall.StartAsync(serverClock: clock);
        using var op = await mall.OperatorAsync();
        var url = $"/api/v1/sites/{mall.Site.Value}/friendly-hours";

        var invalid = await op.PutAsJsonAsync(url, new { dailyWindows = new[] { new { start = "25:00", end = "08:00" } } }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("dailyWindows[0]", out _));
        var never = await op.PutAsJsonAsync(url, new { allDayDays = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" } }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, never.StatusCode);

        var set = await op.PutAsJsonAsync(url, new { dailyWindows = new[] { new { start = "20:00", end = "08:00" } }, allDayDays = new[] { "sunday" }, protectHolidays = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var stored = await op.GetFromJsonAsync<JsonElement>(url, Ct);
        Assert.Equal("20:00", stored.GetProperty("dailyWindows")[0].GetProperty("start").GetString());
        Assert.Equal("sunday", stored.GetProperty("allDayDays")[0].GetString());
        Assert.False(stored.GetProperty("isDefault").GetBoolean());

        await mall.MoveAsync(op, "K1", -100m);
        var row = await Eventually.ValueAsync(() => mall.ControlRowAsync("K1"), r => r?.NextDecisionAt is not null, "the deferred cut to be decided");
        Assert.Equal(new DateTimeOffset(2026, 3, 5, 8, 0, 0, TimeSpan.FromHours(8)), row!.NextDecisionAt);
        Assert.Equal("trip deferred until 2026-03-05 08:00 (friendly-hours)", row.LastDecision);
        Assert.Empty(await mall.CommandsAsync("K1"));
        Assert.Equal(SimRelay.Closed, mall.RelayOf("K1"));
        var view = await op.GetFromJsonAsync<JsonElement>($"/api/v1/meters/{mall["K1"].Id.Value}/control", Ct);
        Assert.Equal("tripDeferred", view.GetProperty("decisionNow").GetProperty("action").GetString());
        Assert.Equal("friendlyHours", view.GetProperty("decisionNow").GetProperty("deferral").GetString());

        // Still the night at 07:59; at 08:00 the cut happens.
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 5, 7, 59, 0, TimeSpan.FromHours(8)));
        await mall.Services.GetRequiredService<ControlService>().DecideAsync([mall["K1"].Id], Ct);
        Assert.Empty(await mall.CommandsAsync("K1"));
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 5, 8, 0, 1, TimeSpan.FromHours(8)));
        await mall.UntilRelayAsync("K1", SimRelay.Open);
        var trip = Assert.Single(await Eventually.ValueAsync(() => mall.CommandsAsync("K1"), c => c is [{ Status: RelayCommandStatus.Verified }], "the trip to be verified"));
        Assert.Equal(RelayCause.BalanceExhausted, trip.Cause);
    }

    [Fact]
    public async Task Keep_power_prevents_the_cut_until_it_is_revoked()
    {
        await using var mall = await ControlMall.StartAsync();
        using var op = await mall.OperatorAsync();
        var meter = mall["K2"].Id.Value;

        var noReason = await op.PostAsJsonAsync("/api/v1/keep-power", new { meterId = meter }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("reason", out _));
        var both = await op.PostAsJsonAsync("/api/v1/keep-power", new { meterId = meter, accountId = mall["K2"].Account.Value, reason = "x" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, both.StatusCode);
        var granted = await op.PostAsJsonAsync("/api/v1/keep-power", new { meterId = meter, reason = "Medical fridge" }, Ct);
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        var exemption = (await granted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();

        await mall.MoveAsync(op, "K2", -100m);
        await Eventually.ValueAsync(() => mall.ControlRowAsync("K2"), r => r?.LastDecision == "no change (keep-power)", "the decision to keep power");
        Assert.Empty(await mall.CommandsAsync("K2"));
        Assert.Equal(SimRelay.Closed, mall.RelayOf("K2"));
        var view = await op.GetFromJsonAsync<JsonElement>($"/api/v1/meters/{meter}/control", Ct);
        Assert.Equal("keepPower", view.GetProperty("decisionNow").GetProperty("hold").GetString());
        Assert.Equal("Medical fridge", view.GetProperty("keepPower")[0].GetProperty("reason").GetString());
        var active = await op.GetFromJsonAsync<JsonElement>($"/api/v1/keep-power?active=true&meterId={meter}", Ct);
        Assert.Equal(1, active.GetProperty("total").GetInt32());

        using var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/keep-power/{exemption}") { Content = JsonContent.Create(new { reason = "The fridge was moved" }) };
        Assert.Equal(HttpStatusCode.OK, (await op.SendAsync(revoke, Ct)).StatusCode);
        await mall.UntilRelayAsync("K2", SimRelay.Open);
        Assert.Equal(RelayCause.BalanceExhausted, Assert.Single(await mall.CommandsAsync("K2")).Cause);
    }

    [Fact]
    public async Task A_meter_feeding_its_own_gateway_is_never_cut()
    {
        await using var mall = await ControlMall.StartAsync(meters:
        [
            new("K1", "kpm31", ControlMall.ModbusGateway, Unit: 1),
            new("K3", "kpm31", ControlMall.ModbusGateway, Unit: 3) { FeedsOwnGateway = true },
        ]);
        using var op = await mall.OperatorAsync();

        await mall.MoveAsync(op, "K3", -100m);
        await Eventually.ValueAsync(() => mall.ControlRowAsync("K3"), r => r?.LastDecision == "no change (feeds-own-gateway)", "the decision not to cut");
        var refused = await op.PostAsJsonAsync($"/api/v1/meters/{mall["K3"].Id.Value}/relay", new { action = "open", reason = "test" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var direct = await mall.Services.GetRequiredService<RelayCommandService>().RequestAsync(mall["K3"].Id, RelayState.Open, RelayCause.Operator, "test", "direct", Ct);
        Assert.False(direct.Accepted);
        Assert.Contains("never cut", direct.Refusal, StringComparison.Ordinal);
        Assert.Empty(await mall.CommandsAsync("K3"));
        Assert.Equal(SimRelay.Closed, mall.RelayOf("K3"));
    }

    [Fact]
    public async Task An_operator_opens_and_closes_by_hand_with_a_reason_and_the_release_returns_to_automatic_control()
    {
        await using var mall = await ControlMall.StartAsync();
        using var op = await mall.OperatorAsync();
        var meter = mall["K1"].Id.Value;
        var relay = $"/api/v1/meters/{meter}/relay";

        var noReason = await op.PostAsJsonAsync(relay, new { action = "open" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await op.PostAsJsonAsync(relay, new { action = "toggle", reason = "x" }, Ct)).StatusCode);
        using (var cashier = await mall.App.CreateUserClientAsync(Roles.Cashier))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await cashier.PostAsJsonAsync(relay, new { action = "open", reason = "I should not" }, Ct)).StatusCode);
        }

        using (var till = await mall.App.CreateApiClientAsync(ApiKeyScopes.Collect))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await till.PostAsJsonAsync(relay, new { action = "open", reason = "I should not" }, Ct)).StatusCode);
        }

        var opened = await op.PostAsJsonAsync(relay, new { action = "open", reason = "Refurbishment" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, opened.StatusCode);
        var view = await opened.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("heldOpen", view.GetProperty("lock").GetProperty("state").GetString());
        Assert.Equal("Refurbishment", view.GetProperty("lock").GetProperty("reason").GetString());
        await mall.UntilRelayAsync("K1", SimRelay.Open);
        var first = Assert.Single(await mall.CommandsAsync("K1"));
        Assert.Equal(RelayCause.Operator, first.Cause);
        Assert.StartsWith("apikey:", first.RequestedBy, StringComparison.Ordinal);

        // The lock holds against a healthy balance; the release gives the meter back to the balance rule, which reconnects.
        await mall.MoveAsync(op, "K1", 10m);
        await mall.Services.GetRequiredService<ControlService>().DecideAsync([mall["K1"].Id], Ct);
        Assert.Single(await mall.CommandsAsync("K1"));
        using (var noReasonRelease = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/meters/{meter}/relay-lock") { Content = JsonContent.Create(new { }) })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await op.SendAsync(noReasonRelease, Ct)).StatusCode);
        }

        using (var release = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/meters/{meter}/relay-lock") { Content = JsonContent.Create(new { reason = "Reopened" }) })
        {
            var released = await op.SendAsync(release, Ct);
            Assert.Equal(HttpStatusCode.OK, released.StatusCode);
            Assert.Equal("none", (await released.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("lock").GetProperty("state").GetString());
        }

        await mall.UntilRelayAsync("K1", SimRelay.Closed);

        // Held closed, an exhausted balance does not cut.
        Assert.Equal(HttpStatusCode.Accepted, (await op.PostAsJsonAsync(relay, new { action = "close", reason = "Dispute under review" }, Ct)).StatusCode);
        await mall.MoveAsync(op, "K1", -200m);
        await Eventually.ValueAsync(() => mall.ControlRowAsync("K1"), r => r?.LastDecision == "no change (operator-lock)", "the lock to hold the supply on");
        Assert.Equal(SimRelay.Closed, mall.RelayOf("K1"));

        await using var scope = mall.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<KilowalletDb>().AuditLog.AsNoTracking().Where(a => a.Target == "meter:" + meter).Select(a => a.Action).ToListAsync(Ct);
        Assert.Equal(["relay.locked", "relay.unlocked", "relay.locked"], audit);
    }

    [Fact]
    public async Task A_meter_that_never_answers_gets_bounded_retries_then_one_failed_command_and_one_alarm()
    {
        await using var mall = await ControlMall.StartAsync();
        using var op = await mall.OperatorAsync();
        var control = mall.Services.GetRequiredService<ControlService>();
        mall.Inject("offline:serial=K2");

        Assert.Equal(HttpStatusCode.Accepted, (await op.PostAsJsonAsync($"/api/v1/meters/{mall["K2"].Id.Value}/relay", new { action = "open", reason = "Test" }, Ct)).StatusCode);
        var failed = Assert.Single(await Eventually.ValueAsync(() => mall.CommandsAsync("K2"), c => c is [{ Status: RelayCommandStatus.Failed }], "the command to fail", TimeSpan.FromSeconds(30)));
        Assert.Equal(3, failed.Attempts);
        Assert.NotNull(failed.FailedAt);
        Assert.Contains("Timeout", failed.Error, StringComparison.Ordinal);
        await Eventually.UntilAsync(async () => (await mall.AlarmsOfAsync("K2")).Any(a => a.Type == AlarmType.RelayCommandFailed), "the relay-command-failed alarm");

        // More decisions, and money moving, do not pile up commands for a meter that does not answer.
        await control.DecideAsync([mall["K2"].Id], Ct);
        await mall.MoveAsync(op, "K2", 10m);
        await control.DecideAsync([mall["K2"].Id], Ct);
        Assert.Single(await mall.CommandsAsync("K2"));
        Assert.Single(await mall.AlarmsOfAsync("K2"), a => a.Type == AlarmType.RelayCommandFailed);
        Assert.Equal(SimRelay.Closed, mall.RelayOf("K2"));
    }

    [Fact]
    public async Task A_flapping_balance_does_not_make_the_relay_chatter()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.FromHours(8)));
        await using var mall = await ControlMall.StartAsync(serverClock: clock);
        using var op = await mall.OperatorAsync();

        await mall.MoveAsync(op, "K1", -100m);
        await mall.UntilRelayAsync("K1", SimRelay.Open);

        // 5 CNY is above the trip level but not above the reconnect level (10): the supply stays cut.
        await mall.MoveAsync(op, "K1", 5m);
        var decided = await mall.Services.GetRequiredService<ControlService>().DecideAsync([mall["K1"].Id], Ct);
        Assert.Equal(ControlHold.AwaitingReconnectLevel, decided[mall["K1"].Id].Decision.Hold);
        Assert.Equal(SimRelay.Open, mall.RelayOf("K1"));
        Assert.Single(await mall.CommandsAsync("K1"));

        await mall.MoveAsync(op, "K1", 20m);
        await mall.UntilRelayAsync("K1", SimRelay.Closed);

        // Exhausted again at once: the cut waits for the minimum interval since the last command.
        await mall.MoveAsync(op, "K1", -30m);
        var row = await Eventually.ValueAsync(() => mall.ControlRowAsync("K1"), r => r?.LastDecision?.Contains("minimum-interval", StringComparison.Ordinal) == true, "the cut to be deferred");
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(5), row!.NextDecisionAt);
        Assert.Equal(SimRelay.Closed, mall.RelayOf("K1"));
        Assert.Equal(2, (await mall.CommandsAsync("K1")).Count);

        clock.Advance(TimeSpan.FromMinutes(5));
        await mall.UntilRelayAsync("K1", SimRelay.Open);
        Assert.Equal(3, (await Eventually.ValueAsync(() => mall.CommandsAsync("K1"), c => c.Count == 3 && c[2].Status == RelayCommandStatus.Verified, "the deferred trip")).Count);
    }

    [Fact]
    public async Task A_command_left_unfinished_by_a_restart_is_issued_again_and_the_old_one_marked_superseded()
    {
        await using var mall = await ControlMall.StartAsync(meters: [new("K1", "kpm31", ControlMall.ModbusGateway, Unit: 1)]);
        var meter = mall["K1"].Id;
        await mall.RestartAsync(async services =>
        {
            // As if an operator had cut K1 and the server had stopped with the command on the wire.
            var now = TimeProvider.System.GetUtcNow();
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            var row = await db.MeterControl.SingleOrDefaultAsync(c => c.MeterId == meter, Ct);
            if (row is null)
            {
                row = new MeterControlRecord { MeterId = meter };
                db.MeterControl.Add(row);
            }

            (row.Desired, row.OpenedBy, row.Commanded, row.LastCommandAt) = (RelayState.Open, RelayCause.Operator, RelayState.Open, now);
            (row.OperatorLock, row.LockReason, row.LockedBy, row.LockedAt) = (OperatorLock.HeldOpen, "Before the restart", "operator", now);
            db.RelayCommands.Add(new RelayCommandRecord
            {
                MeterId = meter, Sequence = 1, Target = RelayState.Open, Cause = RelayCause.Operator, RequestedBy = "operator", Action = "trip",
                Status = RelayCommandStatus.Sent, Attempts = 1, QueuedAt = now, SentAt = now, LastSentAt = now,
            });
            await db.SaveChangesAsync(Ct);
        });

        await mall.UntilRelayAsync("K1", SimRelay.Open);
        var commands = await Eventually.ValueAsync(() => mall.CommandsAsync("K1"), c => c is [{ Status: RelayCommandStatus.Superseded }, { Status: RelayCommandStatus.Verified }], "the command to be issued again");
        Assert.Contains("restart", commands[0].Error, StringComparison.Ordinal);
        Assert.Equal(2, commands[1].Sequence);
        Assert.Equal(RelayCause.Operator, commands[1].Cause);
        Assert.Equal("operator", commands[1].RequestedBy);
    }

    [Fact]
    public async Task Emergency_credit_keeps_the_supply_on_until_the_balance_reaches_the_negative_trip_level()
    {
        await using var mall = await ControlMall.StartAsync(meters: [new("K1", "kpm31", ControlMall.ModbusGateway, Unit: 1)]);
        using var op = await mall.OperatorAsync();
        var thresholds = await op.PutAsJsonAsync($"/api/v1/accounts/{mall["K1"].Account.Value}/thresholds", new { warning1 = 100m, warning2 = 50m, tripLevel = -20m, reconnectLevel = 10m }, Ct);
        Assert.Equal(HttpStatusCode.OK, thresholds.StatusCode);

        await mall.MoveAsync(op, "K1", -110m);
        var decided = await mall.Services.GetRequiredService<ControlService>().DecideAsync([mall["K1"].Id], Ct);
        Assert.Equal(ControlAction.None, decided[mall["K1"].Id].Decision.Action);
        Assert.Empty(await mall.CommandsAsync("K1"));
        Assert.Equal(SimRelay.Closed, mall.RelayOf("K1"));

        await mall.MoveAsync(op, "K1", -10m);
        await mall.UntilRelayAsync("K1", SimRelay.Open);
        Assert.Equal(RelayCause.BalanceExhausted, Assert.Single(await mall.CommandsAsync("K1")).Cause);
    }
}
