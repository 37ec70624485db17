using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests.Support;

/// <summary>
/// The server with Demo Plaza and its simulated meters on real loopback sockets, as a new user
/// sees it, with a short billed history so it starts quickly; plus signing in through the login page.
/// </summary>
public static class DemoMall
{
    public static KilowalletApp Start(TestDatabase database, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Simulator:HistoryDays"] = "1",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new KilowalletApp(database, settings, kestrel: true);
    }

    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }
}
