using Kilowallet.Browser.Tests.Portal;
using Kilowallet.Browser.Tests.Support;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests.Reports;

/// <summary>The operator's analysis and statement pages in a desktop browser, with screenshots.</summary>
public sealed class ReportPagesTests
{
    [Fact]
    public async Task An_operator_sees_the_analysis_with_charts_and_downloads_and_a_printable_statement()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database, kestrel: true);
        var (made, _) = await PortalTests.SeedAsync(app.Services, meters: 4);
        var page = await browser.NewPageAsync(app.ServerAddress!);
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(KilowalletApp.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/console**");

        await page.GotoAsync($"/console/reports?siteId={made.Site.Value}");
        await Assertions.Expect(page.GetByTestId("total-kwh")).ToContainTextAsync("kWh");
        await Assertions.Expect(page.Locator("#table-by-shop tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("csv-by-area")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("format=csv"));
        await TestBrowser.ScreenshotAsync(page, "reports-analysis");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("xlsx-all").ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);

        await page.GotoAsync($"/console/reports?siteId={made.Site.Value}&from=2026-12-31&to=2026-01-01");
        await Assertions.Expect(page.GetByTestId("period-message")).ToContainTextAsync("before the start");

        await page.GotoAsync("/console/reports/statements");
        await page.Locator("[data-testid=statements] a").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("statement")).ToBeVisibleAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await TestBrowser.ScreenshotAsync(page, "reports-statement-print");
    }
}
