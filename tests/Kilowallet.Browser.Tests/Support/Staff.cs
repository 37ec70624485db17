using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests.Support;

/// <summary>Signing staff in through the sign-in page.</summary>
public static class Staff
{
    /// <summary>Makes a user of <paramref name="role"/> and signs them in on <paramref name="page"/>; returns the user name.</summary>
    public static async Task<string> SignInAsNewAsync(KilowalletApp app, IPage page, string role)
    {
        ArgumentNullException.ThrowIfNull(app);
        var (userName, password) = await app.CreateUserAsync(role);
        await SignInAsync(page, userName, password);
        return userName;
    }

    /// <summary>Signs in through /login and waits to leave the sign-in page (console pages keep a live connection open, so not for network idle).</summary>
    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/login");
        // By field name, so it works in either language.
        await page.Locator("input[name='UserName']").FillAsync(userName);
        await page.Locator("input[name='Password']").FillAsync(password);
        await page.Locator("form button[type='submit']").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }
}
