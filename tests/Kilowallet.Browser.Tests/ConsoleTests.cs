using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Browser.Tests.Support;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests;

/// <summary>The operator console on Demo Plaza with its simulated meters on real sockets.</summary>
public sealed class ConsoleTests
{
    private static readonly Dictionary<string, string?> FastPolls = new() { ["Acquisition:EnergyIntervalSeconds"] = "2", ["Acquisition:LiveIntervalSeconds"] = "2" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_alarm_raised_by_the_simulator_appears_live_and_is_acknowledged()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = DemoMall.Start(database, FastPolls);
        var (user, password) = await app.CreateUserAsync(Roles.Operator);
        var page = await browser.NewPageAsync(app.ServerAddress!);
        await DemoMall.SignInAsync(page, user, password);
        await page.GotoAsync("/console/alarms");
        await Assertions.Expect(page.Locator("[data-type=register-went-backwards]")).ToHaveCountAsync(0);

        // The meter of 1F-002 is replaced in the simulator: its register starts again from zero.
        using var api = await app.CreateApiClientAsync(ApiKeyScopes.Operate);
        (await api.PostAsJsonAsync("/api/v1/simulator/events", new { spec = "reset:serial=KPM31-1F002" }, Ct)).EnsureSuccessStatusCode();

        var row = page.Locator("[data-type=register-went-backwards]").First;
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(row).ToContainTextAsync("1F-002");
        await TestBrowser.ScreenshotAsync(page, "console-alarms");
        await row.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-type=register-went-backwards]").First).ToContainTextAsync(user);

        var alarms = await api.GetFromJsonAsync<JsonElement>("/api/v1/alarms?type=register-went-backwards", Ct);
        var alarm = alarms.GetProperty("items")[0];
        Assert.Equal(user, alarm.GetProperty("acknowledgedBy").GetString());
    }

    [Fact]
    public async Task An_operator_adjusts_an_account_and_invalid_thresholds_save_nothing()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = DemoMall.Start(database);
        var (user, password) = await app.CreateUserAsync(Roles.Operator);
        var page = await browser.NewPageAsync(app.ServerAddress!);
        await DemoMall.SignInAsync(page, user, password);

        await page.GotoAsync("/console/accounts?q=1F-003");
        await page.GetByTestId("accounts-table").Locator("a").First.ClickAsync();
        await page.WaitForURLAsync("**/console/accounts/*");
        var accountUrl = page.Url;
        await TestBrowser.ScreenshotAsync(page, "console-account");

        // A first warning below the second is refused at its field and nothing changes.
        var thresholds = page.Locator("#thresholds");
        var before = await thresholds.Locator("[name=warning1]").InputValueAsync();
        await thresholds.Locator("[name=warning1]").FillAsync("10");
        await thresholds.Locator("[name=warning2]").FillAsync("50");
        await thresholds.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(thresholds.Locator("[data-error-for=thresholds]")).Not.ToBeEmptyAsync();
        await page.GotoAsync(accountUrl);
        Assert.Equal(before, await page.Locator("#thresholds [name=warning1]").InputValueAsync());

        var adjust = page.Locator("#adjust");
        await adjust.Locator("[name=amount]").FillAsync("12.34");
        await adjust.Locator("[name=reason]").FillAsync("meter fault credit");
        await adjust.GetByRole(AriaRole.Button, new() { Name = "Adjust" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.GetByTestId("account-ledger")).ToContainTextAsync("meter fault credit");
        await Assertions.Expect(page.GetByTestId("account-ledger")).ToContainTextAsync("¥12.34");
        await Assertions.Expect(page.GetByTestId("account-ledger")).ToContainTextAsync(user);
    }

    [Fact]
    public async Task Refusals_on_the_account_and_meter_pages_show_at_their_fields()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = DemoMall.Start(database);
        var (user, password) = await app.CreateUserAsync(Roles.Operator);
        var page = await browser.NewPageAsync(app.ServerAddress!);
        await DemoMall.SignInAsync(page, user, password);

        // The server refuses a tenant without a code or name: each message at its field, the fields marked.
        await page.GotoAsync("/console/accounts");
        var tenant = page.Locator("#new-tenant");
        await tenant.GetByRole(AriaRole.Button, new() { Name = "New tenant with an account" }).ClickAsync();
        await Assertions.Expect(tenant.Locator("[data-error-for=code]")).Not.ToBeEmptyAsync();
        await Assertions.Expect(tenant.Locator("[data-error-for=name]")).Not.ToBeEmptyAsync();
        await Assertions.Expect(tenant.Locator("[name=code]")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(tenant.Locator("[data-error-for=phone]")).ToBeEmptyAsync();

        // A relay command without a reason is refused in the page, at the reason field.
        using var api = await app.CreateApiClientAsync(ApiKeyScopes.Operate);
        var meter = (await api.GetFromJsonAsync<JsonElement>("/api/v1/meters?limit=1", Ct)).GetProperty("items")[0].GetProperty("id").GetInt64();
        await page.GotoAsync($"/console/meters/{meter}");
        var relay = page.Locator("#relay-form");
        await page.GetByTestId("relay-open").ClickAsync();
        await Assertions.Expect(relay.Locator("[data-error-for=reason]")).ToHaveTextAsync("Give a reason.");
        await Assertions.Expect(page.GetByTestId("relay-reason")).ToHaveAttributeAsync("aria-invalid", "true");
    }

    [Fact]
    public async Task The_overview_shows_every_supply_point_and_filters_by_state()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = DemoMall.Start(database);
        var (user, password) = await app.CreateUserAsync(Roles.Operator);
        var page = await browser.NewPageAsync(app.ServerAddress!);
        await DemoMall.SignInAsync(page, user, password);
        await page.GotoAsync("/console");
        await Assertions.Expect(page.Locator("a.tile")).ToHaveCountAsync(120);
        await TestBrowser.ScreenshotAsync(page, "console-overview");
        await page.Locator("select[name=state]").SelectOptionAsync("low");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var low = await page.Locator("[data-counter=low]").TextContentAsync();
        await Assertions.Expect(page.Locator("a.tile")).ToHaveCountAsync(int.Parse(low!, System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("a.tile:not(.low)")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_cashier_tops_up_a_tripped_shop_and_the_overview_shows_it_reconnected()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = DemoMall.Start(database, FastPolls);
        using var api = await app.CreateApiClientAsync(ApiKeyScopes.Operate);

        // 1F-005 runs out of credit: an operator's correction takes it below the trip level.
        var hit = (await api.GetFromJsonAsync<JsonElement>("/api/v1/cashier/search?q=1F-005", Ct))[0];
        var account = hit.GetProperty("accountId").GetInt64();
        var available = hit.GetProperty("available").GetDecimal();
        using (var debit = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{account}/adjustments") { Content = JsonContent.Create(new { amount = -(available + 20m), reason = "test: exhaust the credit" }) })
        {
            debit.Headers.Add("Idempotency-Key", "exhaust-1F-005");
            (await api.SendAsync(debit, Ct)).EnsureSuccessStatusCode();
        }

        var (operatorName, operatorPassword) = await app.CreateUserAsync(Roles.Operator);
        var overview = await browser.NewPageAsync(app.ServerAddress!);
        await DemoMall.SignInAsync(overview, operatorName, operatorPassword);
        await overview.GotoAsync("/console");
        var tile = overview.GetByTestId("tile-1F-005");
        await Assertions.Expect(tile).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\btripped\\b"), new() { Timeout = 90_000 });
        await TestBrowser.ScreenshotAsync(overview, "console-overview-tripped");

        var (cashierName, cashierPassword) = await app.CreateUserAsync(Roles.Cashier);
        var till = await browser.NewPageAsync(app.ServerAddress!);
        await DemoMall.SignInAsync(till, cashierName, cashierPassword);
        await till.GotoAsync("/cashier");
        await till.GetByTestId("cashier-search").FillAsync("1F-005");
        await till.GetByTestId("cashier-search").PressAsync("Enter");
        await till.GetByTestId("cashier-amount").FillAsync("500");
        await till.GetByTestId("cashier-topup").ClickAsync();
        await till.GetByTestId("cashier-confirm").ClickAsync();
        await Assertions.Expect(till.GetByTestId("cashier-done")).ToBeVisibleAsync();

        // The overview, left open, shows the shop back on supply without a reload.
        await Assertions.Expect(tile).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\btripped\\b"), new() { Timeout = 90_000 });
        await TestBrowser.ScreenshotAsync(overview, "console-overview-reconnected");
    }

    [Fact]
    public async Task An_operator_trips_and_recloses_a_meter_from_its_page()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = DemoMall.Start(database, FastPolls);
        var (user, password) = await app.CreateUserAsync(Roles.Operator);
        var page = await browser.NewPageAsync(app.ServerAddress!);
        await DemoMall.SignInAsync(page, user, password);
        await page.GotoAsync("/console/meters?q=1F-004");
        await page.GetByTestId("meters-table").Locator("a").First.ClickAsync();
        await page.WaitForURLAsync("**/console/meters/*");
        var relay = page.Locator("#relay");

        // No reason, no command.
        await page.GetByTestId("relay-open").ClickAsync();
        await Assertions.Expect(page.Locator("#relay-form [data-error-for=reason]")).Not.ToBeEmptyAsync();

        await page.GetByTestId("relay-reason").FillAsync("electrical inspection");
        await page.GetByTestId("relay-open").ClickAsync();
        await Assertions.Expect(relay).ToHaveAttributeAsync("data-relay", "open", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#control-state")).ToContainTextAsync("electrical inspection");
        await Assertions.Expect(page.GetByTestId("meter-commands")).ToContainTextAsync(user);
        await TestBrowser.ScreenshotAsync(page, "console-meter-tripped");

        await page.GetByTestId("relay-reason").FillAsync("inspection done");
        await page.GetByTestId("relay-close").ClickAsync();
        await Assertions.Expect(relay).ToHaveAttributeAsync("data-relay", "closed", new() { Timeout = 60_000 });
        await page.GetByTestId("relay-reason").FillAsync("back to prepaid control");
        await page.GetByTestId("relay-release").ClickAsync();
        await Assertions.Expect(page.Locator("#relay-error")).ToBeEmptyAsync();
        await Assertions.Expect(page.GetByTestId("energy-chart").Locator("svg")).ToBeVisibleAsync();
        await TestBrowser.ScreenshotAsync(page, "console-meter");
    }
    [Fact]
    public async Task An_operator_rerates_yesterday_under_another_plan_and_the_difference_is_posted_once()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = DemoMall.Start(database);
        using var api = await app.CreateApiClientAsync(ApiKeyScopes.Operate);
        var hit = (await api.GetFromJsonAsync<JsonElement>("/api/v1/cashier/search?q=1F-006", Ct))[0];
        var account = hit.GetProperty("accountId").GetInt64();
        var (user, password) = await app.CreateUserAsync(Roles.Operator);
        var page = await browser.NewPageAsync(app.ServerAddress!);
        await DemoMall.SignInAsync(page, user, password);
        await page.GotoAsync($"/console/accounts/{account}");

        // Nothing without a reason.
        var today = TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        await page.GetByTestId("rerate-from").FillAsync(today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByTestId("rerate-to").FillAsync(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByTestId("rerate-preview").ClickAsync();
        await Assertions.Expect(page.Locator("#rerate [data-error-for=reason]")).Not.ToBeEmptyAsync();

        // The dry cleaner (on the flat plan) priced at time of use instead.
        var tou = await page.GetByTestId("rerate-plan").Locator("option", new() { HasText = "CN-COMMERCIAL-TOU" }).GetAttributeAsync("value");
        await page.GetByTestId("rerate-plan").SelectOptionAsync(tou!);
        await page.GetByTestId("rerate-reason").FillAsync("agreed TOU from yesterday");
        await page.GetByTestId("rerate-preview").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rerate-result")).ToContainTextAsync("CN-COMMERCIAL-TOU");
        await TestBrowser.ScreenshotAsync(page, "console-account-rerate");

        var adjustment = decimal.Parse((await page.GetByTestId("rerate-result").GetAttributeAsync("data-adjustment"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(0m, adjustment);
        await page.GetByTestId("rerate-apply").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-ledger").Locator("tr", new() { HasText = "re-rating" })).ToHaveCountAsync(1);
        using var admin = await app.CreateApiClientAsync(ApiKeyScopes.Admin);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=500", Ct);
        Assert.Single(audit.GetProperty("items").EnumerateArray(), e => e.ToString().Contains("tariff.rerated", StringComparison.Ordinal));
    }
}
