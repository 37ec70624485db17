using Kilowallet.Browser.Tests.Support;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests;

public sealed class SignInTests
{
    [Fact]
    public async Task The_administrator_signs_in_and_lands_on_the_console()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database, kestrel: true);
        var page = await browser.NewPageAsync(app.ServerAddress!);
        await page.GotoAsync("/");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(KilowalletApp.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/console**");
        await TestBrowser.ScreenshotAsync(page, "console-after-sign-in");
    }
}
