using System.Globalization;
using Kilowallet.Browser.Tests.Support;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests;

/// <summary>The tariff editor: an operator adds a future version and sees it; bad input is refused at the field and saves nothing.</summary>
public sealed class TariffEditorTests : IAsyncLifetime
{
    private TestBrowser _browser = null!;
    private TestDatabase _database = null!;
    private KilowalletApp _app = null!;
    private BillingSetup.Made _made = null!;
    private long _planId;

    private static TimeZoneInfo Shanghai => TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static DateOnly SiteToday => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), Shanghai).DateTime);

    public async ValueTask InitializeAsync()
    {
        _browser = await TestBrowser.LaunchAsync();
        _database = await TestDatabase.CreateAsync("sqlite");
        _app = new KilowalletApp(_database, kestrel: true);
        _made = await BillingSetup.MakeAsync(_app.Services, ExamplePlans.CommercialTimeOfUse(), meters: 3);
        await using var scope = _app.Services.CreateAsyncScope();
        _planId = await scope.ServiceProvider.GetRequiredService<KilowalletDb>().TariffPlans.Where(p => p.SiteId == _made.Site).Select(p => p.Id).SingleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
        await _browser.DisposeAsync();
    }

    [Fact]
    public async Task An_operator_adds_a_future_version_in_the_editor_and_sees_it_in_the_history()
    {
        var page = await _browser.NewPageAsync(_app.ServerAddress!);
        await Staff.SignInAsNewAsync(_app, page, Roles.Operator);

        await page.GotoAsync($"/console/tariffs?site={_made.Site.Value}");
        var row = page.GetByTestId("plans").GetByRole(AriaRole.Row).Filter(new() { HasText = "CN-COMMERCIAL-TOU" });
        await Assertions.Expect(row).ToContainTextAsync("Version 1 from 2026-01-01");
        await Assertions.Expect(row.Locator("td.num").Last).ToHaveTextAsync("3");
        await TestBrowser.ScreenshotAsync(page, "tariffs");

        await row.GetByRole(AriaRole.Link, new() { Name = "CN-COMMERCIAL-TOU" }).ClickAsync();
        await page.WaitForURLAsync($"**/console/tariffs/{_planId}");
        await Assertions.Expect(page.GetByTestId("band-chart").Locator(".bandbar")).ToHaveCountAsync(6);
        await TestBrowser.ScreenshotAsync(page, "tariff-plan");

        var effective = SiteToday.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var editor = page.Locator("#version-form");
        await editor.Locator("[data-path='effectiveFrom']").FillAsync(effective);
        await editor.Locator("[data-path='prices.peak']").FillAsync("1.3");
        await editor.Locator("[data-path='note']").FillAsync("Peak up from the 10th");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the version" }).ClickAsync();

        await page.WaitForURLAsync("**version=2**");
        var added = page.GetByTestId("history").Locator("tr[data-version='2']");
        await Assertions.Expect(added).ToContainTextAsync(effective);
        await Assertions.Expect(added).ToContainTextAsync("Scheduled");
        await Assertions.Expect(page.Locator("#chart")).ToContainTextAsync("1.30");
        await TestBrowser.ScreenshotAsync(page, "tariff-plan-new-version");

        await using var scope = _app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<KilowalletDb>().TariffVersions.SingleAsync(v => v.PlanId == _planId && v.Number == 2, TestContext.Current.CancellationToken);
        var version = TariffPlanJson.ParseVersion(stored.Definition).Value!;
        Assert.Equal(1.3m, version.Prices.Peak);
        Assert.Equal(1.44m, version.Prices.Sharp);
        Assert.Equal(DateOnly.ParseExact(effective, "yyyy-MM-dd", CultureInfo.InvariantCulture), version.EffectiveFrom);
        Assert.Equal(2, version.Seasons.Count);
    }

    [Fact]
    public async Task An_operator_creates_a_plan_from_a_copy_assigns_it_to_a_shop_meter_and_adds_a_holiday()
    {
        var page = await _browser.NewPageAsync(_app.ServerAddress!);
        await Staff.SignInAsNewAsync(_app, page, Roles.Operator);
        await page.GotoAsync($"/console/tariffs?site={_made.Site.Value}");
        await page.GetByRole(AriaRole.Link, new() { Name = "New plan" }).ClickAsync();
        await page.Locator("select[name='copy']").SelectOptionAsync(new SelectOptionValue { Label = "A copy of CN-COMMERCIAL-TOU" });
        await page.WaitForURLAsync("**copy=**");
        var form = page.Locator("#plan-form");
        await Assertions.Expect(form.Locator("[data-path='prices.sharp']")).ToHaveValueAsync("1.44");
        await form.Locator("[data-path='code']").FillAsync("bad code!");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create the plan" }).ClickAsync();
        await Assertions.Expect(form.Locator("[data-error-for='code']")).ToContainTextAsync("letters, digits");
        await Assertions.Expect(form.Locator("[data-error-for='name']")).ToHaveTextAsync("Required.");
        await TestBrowser.ScreenshotAsync(page, "tariff-new");

        await form.Locator("[data-path='code']").FillAsync("SHOPS-2027");
        await form.Locator("[data-path='name']").FillAsync("Shops from next year");
        await form.Locator("[data-path='prices.valley']").FillAsync("0.3");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create the plan" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/console/tariffs/\d+$"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("SHOPS-2027");
        await Assertions.Expect(page.GetByTestId("history").Locator("tr[data-version='1']")).ToContainTextAsync("Scheduled");

        await page.Locator("input[name='find']").FillAsync("u1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var candidates = page.GetByTestId("candidates");
        await Assertions.Expect(candidates.Locator("input[name='target']")).ToHaveCountAsync(1);
        await candidates.Locator("input[name='target']").CheckAsync();
        await page.Locator("#assign-form input[name='from']").FillAsync(SiteToday.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign the selected" }).ClickAsync();
        var assigned = page.GetByTestId("assignments").GetByRole(AriaRole.Row).Filter(new() { HasText = "Shop 1" });
        await Assertions.Expect(assigned).ToContainTextAsync("Scheduled");
        await Assertions.Expect(assigned).ToContainTextAsync(SiteToday.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        await page.GotoAsync($"/console/tariffs?site={_made.Site.Value}#holidays");
        var holiday = SiteToday.AddDays(40).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a day" }).ClickAsync();
        var row = page.Locator("#holiday-rows tr").Last;
        await row.Locator("input[name='date']").FillAsync(holiday);
        await page.Locator("#holiday-form").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(row.Locator("[data-error-for='name']")).ToHaveTextAsync("Required.");
        await row.Locator("input[name='name']").FillAsync("Mall anniversary");
        await page.Locator("#holiday-form").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("#holiday-saved")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#holiday-rows input[name='name']").Last).ToHaveValueAsync("Mall anniversary");
        await Assertions.Expect(page.GetByTestId("plans").GetByRole(AriaRole.Row).Filter(new() { HasText = "SHOPS-2027" })).ToContainTextAsync("Not yet in force");
    }

    [Fact]
    public async Task A_scheduled_version_is_withdrawn_from_the_history()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var later = ExamplePlans.CommercialTimeOfUse().Versions[0] with { EffectiveFrom = SiteToday.AddDays(15) };
            await scope.ServiceProvider.GetRequiredService<TariffService>().AddVersionAsync(_planId, TariffPlanJson.SerializeVersion(later), "test", TestContext.Current.CancellationToken);
        }

        var page = await _browser.NewPageAsync(_app.ServerAddress!);
        await Staff.SignInAsNewAsync(_app, page, Roles.Operator);
        await page.GotoAsync($"/console/tariffs/{_planId}");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("history").Locator("tr[data-version]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Withdraw" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_Chinese_operator_reads_the_editor_and_its_messages_in_Chinese()
    {
        var page = await _browser.NewPageAsync(_app.ServerAddress!, locale: "zh-CN");
        await Staff.SignInAsync(page, "admin", KilowalletApp.AdminPassword);
        await page.GotoAsync($"/console/tariffs/{_planId}");
        await Assertions.Expect(page.Locator("#history h2")).ToHaveTextAsync("版本历史");
        var editor = page.Locator("#version-form");
        await editor.Locator("[data-path='seasons[1].weekday[0].start']").FillAsync("25:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存版本" }).ClickAsync();
        await Assertions.Expect(editor.Locator("[data-error-for='seasons[1].weekday[0].start']")).ToHaveTextAsync("请按 HH:mm 输入时间（00:00–24:00）。");
        await TestBrowser.ScreenshotAsync(page, "tariff-plan-zh");
    }

    [Fact]
    public async Task Invalid_versions_get_messages_at_their_fields_and_nothing_is_saved()
    {
        var page = await _browser.NewPageAsync(_app.ServerAddress!);
        await Staff.SignInAsNewAsync(_app, page, Roles.Operator);
        await page.GotoAsync($"/console/tariffs/{_planId}");
        var editor = page.Locator("#version-form");
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Save the version" });

        // Checked in the page: a date in the past, a period running into the next, an empty price.
        await editor.Locator("[data-path='effectiveFrom']").FillAsync(SiteToday.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await editor.Locator("[data-path='seasons[0].weekday[1].end']").FillAsync("09:00");
        await editor.Locator("[data-path='prices.flat']").FillAsync("-1");
        await save.ClickAsync();
        await Assertions.Expect(editor.Locator("[data-error-for='effectiveFrom']")).ToContainTextAsync("never in the past");
        await Assertions.Expect(editor.Locator("[data-error-for='seasons[0].weekday[2]']")).ToContainTextAsync("Overlaps period 2 at 08:00");
        await Assertions.Expect(editor.Locator("[data-error-for='prices.flat']")).ToContainTextAsync("0 or more");
        await Assertions.Expect(editor.Locator("[data-path='prices.flat']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("invalid"));
        await TestBrowser.ScreenshotAsync(page, "tariff-plan-invalid");

        // Checked by the server: meanwhile someone else added a version from a later date.
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var later = ExamplePlans.CommercialTimeOfUse().Versions[0] with { EffectiveFrom = SiteToday.AddDays(20) };
            await scope.ServiceProvider.GetRequiredService<TariffService>().AddVersionAsync(_planId, TariffPlanJson.SerializeVersion(later), "someone-else", TestContext.Current.CancellationToken);
        }

        await editor.Locator("[data-path='effectiveFrom']").FillAsync(SiteToday.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await editor.Locator("[data-path='seasons[0].weekday[1].end']").FillAsync("08:00");
        await editor.Locator("[data-path='prices.flat']").FillAsync("0.7");
        await save.ClickAsync();
        await Assertions.Expect(editor.Locator("[data-error-for='effectiveFrom']")).ToContainTextAsync("does not start after the latest version");
        await Assertions.Expect(editor.Locator("[data-error-for='seasons[0].weekday[2]']")).ToBeHiddenAsync();

        await using var check = _app.Services.CreateAsyncScope();
        var versions = await check.ServiceProvider.GetRequiredService<KilowalletDb>().TariffVersions.Where(v => v.PlanId == _planId).Select(v => v.CreatedBy).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["test", "someone-else"], versions);
    }
}
