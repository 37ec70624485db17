using System.Text.Json;
using Kilowallet.Browser.Tests.Support;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests;

/// <summary>Administration in the browser: users, API keys, webhooks and the audit log; what other roles are refused.</summary>
public sealed class AdministrationTests : IAsyncLifetime
{
    private TestBrowser _browser = null!;
    private TestDatabase _database = null!;
    private KilowalletApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _browser = await TestBrowser.LaunchAsync();
        _database = await TestDatabase.CreateAsync("sqlite");
        _app = new KilowalletApp(_database, kestrel: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
        await _browser.DisposeAsync();
    }

    [Fact]
    public async Task The_administrator_creates_a_cashier_who_can_then_sign_in()
    {
        var admin = await _browser.NewPageAsync(_app.ServerAddress!);
        await Staff.SignInAsync(admin, "admin", KilowalletApp.AdminPassword);
        await admin.GotoAsync("/console/admin");
        var form = admin.Locator("#user-form");

        // A weak password is refused at its field before anything is sent.
        await form.GetByLabel("User name").FillAsync("till-2");
        await form.GetByLabel("Display name").FillAsync("Till two");
        await form.GetByLabel("Role").SelectOptionAsync("cashier");
        await form.GetByLabel("Password").FillAsync("short");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create the user" }).ClickAsync();
        await Assertions.Expect(form.Locator("[data-error-for='password']")).ToContainTextAsync("At least 10 characters");
        Assert.False(await UserExistsAsync("till-2"));

        await form.GetByLabel("Password").FillAsync("Till-Password-2");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create the user" }).ClickAsync();
        var row = admin.GetByTestId("users").Locator("tr[data-user='till-2']");
        await Assertions.Expect(row).ToContainTextAsync("Cashier");
        await Assertions.Expect(row).ToContainTextAsync("Active");

        // The same name again is refused at the user name, by the server.
        await admin.GotoAsync("/console/admin");
        await form.GetByLabel("User name").FillAsync("till-2");
        await form.GetByLabel("Password").FillAsync("Till-Password-3");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create the user" }).ClickAsync();
        await Assertions.Expect(form.Locator("[data-error-for='userName']")).ToContainTextAsync("already taken");
        await TestBrowser.ScreenshotAsync(admin, "admin-users");

        var cashier = await _browser.NewPageAsync(_app.ServerAddress!);
        await Staff.SignInAsync(cashier, "till-2", "Till-Password-2");
        var me = await cashier.APIRequest.GetAsync("/api/v1/auth/me");
        using var body = JsonDocument.Parse(await me.TextAsync());
        Assert.Equal("till-2", body.RootElement.GetProperty("userName").GetString());
        Assert.Equal([Roles.Cashier], body.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        await admin.GotoAsync("/console/admin?tab=audit&kind=user.");
        await Assertions.Expect(admin.GetByTestId("audit")).ToContainTextAsync("user:till-2");
        await TestBrowser.ScreenshotAsync(admin, "admin-audit");
    }

    [Fact]
    public async Task A_locked_out_user_is_shown_locked_and_the_administrator_unlocks_them()
    {
        var (name, password) = await _app.CreateUserAsync(Roles.Operator);
        var stranger = await _browser.NewPageAsync(_app.ServerAddress!);
        for (var i = 0; i < 5; i++)
        {
            var response = await stranger.APIRequest.PostAsync("/api/v1/auth/login", new() { DataObject = new { userName = name, password = "wrong-" + i } });
            Assert.Equal(401, response.Status);
        }

        var admin = await _browser.NewPageAsync(_app.ServerAddress!);
        await Staff.SignInAsync(admin, "admin", KilowalletApp.AdminPassword);
        await admin.GotoAsync("/console/admin?q=" + name);
        var row = admin.GetByTestId("users").Locator($"tr[data-user='{name}']");
        await Assertions.Expect(row).ToContainTextAsync("Locked until");
        await row.GetByRole(AriaRole.Button, new() { Name = "Unlock" }).ClickAsync();
        await Assertions.Expect(row).Not.ToContainTextAsync("Locked until");

        var user = await _browser.NewPageAsync(_app.ServerAddress!);
        await Staff.SignInAsync(user, name, password);
        await user.WaitForURLAsync("**/console");
    }

    [Fact]
    public async Task The_administrator_creates_an_api_key_and_a_webhook_whose_secrets_show_once()
    {
        var admin = await _browser.NewPageAsync(_app.ServerAddress!);
        await Staff.SignInAsync(admin, "admin", KilowalletApp.AdminPassword);

        await admin.GotoAsync("/console/admin?tab=keys");
        var keyForm = admin.Locator("#key-form");
        await keyForm.GetByLabel("Name").FillAsync("ERP");
        await keyForm.GetByRole(AriaRole.Button, new() { Name = "Create the key" }).ClickAsync();
        await Assertions.Expect(keyForm.Locator("[data-error-for='scopes']")).ToContainTextAsync("at least one scope");
        await keyForm.Locator("input[value='collect']").CheckAsync();
        await keyForm.GetByRole(AriaRole.Button, new() { Name = "Create the key" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("secret")).ToBeVisibleAsync();
        var secret = await admin.GetByTestId("secret").TextContentAsync();
        Assert.StartsWith("kw_", secret, StringComparison.Ordinal);
        await TestBrowser.ScreenshotAsync(admin, "admin-api-key-secret");

        using (var client = _app.CreateClient())
        {
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, secret);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/v1/accounts", Ct)).StatusCode);
        }

        await admin.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        var keyRow = admin.GetByTestId("keys").GetByRole(AriaRole.Row).Filter(new() { HasText = "ERP" });
        await Assertions.Expect(keyRow).ToContainTextAsync("Active");
        Assert.DoesNotContain(secret!, await admin.ContentAsync(), StringComparison.Ordinal);
        admin.Dialog += (_, dialog) => dialog.AcceptAsync();
        await keyRow.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(keyRow).ToContainTextAsync("Revoked");
        await TestBrowser.ScreenshotAsync(admin, "admin-api-keys");

        await admin.GotoAsync("/console/admin?tab=webhooks");
        var hookForm = admin.Locator("#webhook-form");
        await hookForm.GetByLabel("URL").FillAsync("ftp://erp.example.com/hook");
        await hookForm.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(hookForm.Locator("[data-error-for='url']")).ToContainTextAsync("http or https");
        await hookForm.GetByLabel("URL").FillAsync("https://erp.example.com/hook");
        await hookForm.GetByLabel("All events").UncheckAsync();
        await hookForm.Locator("input[value='top-up']").CheckAsync();
        await hookForm.GetByLabel("Description").FillAsync("ERP receipts");
        await hookForm.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("webhook-secret")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(".{16,}"));
        await admin.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();

        var hookRow = admin.GetByTestId("webhooks").GetByRole(AriaRole.Row).Filter(new() { HasText = "erp.example.com" });
        await Assertions.Expect(hookRow).ToContainTextAsync("top-up");
        await hookRow.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await hookForm.GetByLabel("Deliver events").UncheckAsync();
        await hookForm.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(hookRow).ToContainTextAsync("Paused");
        await TestBrowser.ScreenshotAsync(admin, "admin-webhooks");

        await hookRow.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("webhooks").GetByRole(AriaRole.Row).Filter(new() { HasText = "erp.example.com" })).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("/console/tariffs")]
    [InlineData("/console/admin")]
    public async Task A_cashier_is_denied_the_tariffs_and_the_administration(string path)
    {
        var page = await _browser.NewPageAsync(_app.ServerAddress!);
        await Staff.SignInAsNewAsync(_app, page, Roles.Cashier);
        await page.GotoAsync(path);
        await page.WaitForURLAsync("**/denied**");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("You do not have access to this page.");
        Assert.DoesNotContain("Tariffs", await page.Locator("nav.mainnav").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_is_denied_the_administration()
    {
        var page = await _browser.NewPageAsync(_app.ServerAddress!);
        await Staff.SignInAsNewAsync(_app, page, Roles.Operator);
        await page.GotoAsync("/console/admin");
        await page.WaitForURLAsync("**/denied**");
    }

    private async Task<bool> UserExistsAsync(string userName)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KilowalletDb>().Users.AnyAsync(u => u.UserName == userName, Ct);
    }
}
