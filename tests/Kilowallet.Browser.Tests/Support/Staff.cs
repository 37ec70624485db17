using Kilowallet.Server.Auth;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests.Support;

/// <summary>Staff users made through Identity, and signing them in through the sign-in page.</summary>
public static class Staff
{
    public const string Password = "Browser-Password-42";

    /// <summary>A new user of <paramref name="role"/> with <see cref="Password"/>; returns the user name.</summary>
    public static async Task<string> CreateAsync(KilowalletApp app, string role)
    {
        ArgumentNullException.ThrowIfNull(app);
        var userName = role + "-" + Guid.NewGuid().ToString("N")[..6];
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, DisplayName = userName, Language = Kilowallet.Domain.Language.English };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        return userName;
    }

    /// <summary>Signs in through /login and waits to leave the sign-in page.</summary>
    public static async Task SignInAsync(IPage page, string userName, string password = Password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }
}
