using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Browser.Tests.Support;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests;

/// <summary>The till as a cashier uses it: one search, amount, confirm, receipt, shift report.</summary>
public sealed class CashierTests
{
    [Fact]
    public async Task A_cashier_finds_a_shop_tops_it_up_prints_the_receipt_and_closes_the_shift()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = DemoMall.Start(database);
        var (user, password) = await app.CreateUserAsync(Roles.Cashier);
        var page = await browser.NewPageAsync(app.ServerAddress!);
        await DemoMall.SignInAsync(page, user, password);
        await page.GotoAsync("/cashier");

        // An invalid amount gets a message at the field and moves no money.
        await page.GetByTestId("cashier-search").FillAsync("1F-002");
        await page.GetByTestId("cashier-search").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("cashier-available")).Not.ToBeEmptyAsync();
        var before = Money(await page.GetByTestId("cashier-available").TextContentAsync());
        await page.GetByTestId("cashier-amount").FillAsync("12.345");
        await page.GetByTestId("cashier-topup").ClickAsync();
        await Assertions.Expect(page.Locator("[data-error-for=amount]")).ToContainTextAsync("two decimals");
        await Assertions.Expect(page.GetByTestId("cashier-confirm")).Not.ToBeVisibleAsync();

        await page.GetByTestId("cashier-amount").FillAsync("250");
        await page.GetByTestId("cashier-method").SelectOptionAsync("card");
        await page.GetByTestId("cashier-topup").ClickAsync();
        await page.GetByTestId("cashier-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("cashier-done")).ToBeVisibleAsync();
        var after = Money(await page.GetByTestId("cashier-available").TextContentAsync());
        Assert.InRange(after - before, 249.5m, 250m); // the meter keeps using energy meanwhile
        await Assertions.Expect(page.GetByTestId("shift-net")).ToHaveTextAsync("¥250.00");
        await TestBrowser.ScreenshotAsync(page, "cashier");

        var receipt = await page.Context.RunAndWaitForPageAsync(() => page.Locator("#done-receipt").ClickAsync());
        await Assertions.Expect(receipt.GetByTestId("receipt-amount")).ToHaveTextAsync("¥250.00");
        await Assertions.Expect(receipt.GetByTestId("receipt")).ToContainTextAsync("Bank card");
        await Assertions.Expect(receipt.GetByTestId("receipt")).ToContainTextAsync(user);
        await TestBrowser.ScreenshotAsync(receipt, "cashier-receipt");

        // The ledger holds exactly one top-up, by this cashier, even though the page was used twice.
        using var api = await app.CreateApiClientAsync(ApiKeyScopes.Operate);
        var hit = (await api.GetFromJsonAsync<JsonElement>("/api/v1/cashier/search?q=1F-002", TestContext.Current.CancellationToken))[0];
        var ledger = await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{hit.GetProperty("accountId").GetInt64()}/ledger?kind=TopUp", TestContext.Current.CancellationToken);
        var topUps = ledger.GetProperty("items").EnumerateArray().ToList();
        Assert.Single(topUps);
        Assert.Equal(250m, topUps[0].GetProperty("amount").GetDecimal());
        Assert.Equal(user, topUps[0].GetProperty("operator").GetString());

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var report = await page.Context.RunAndWaitForPageAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Close shift" }).ClickAsync());
        await Assertions.Expect(report.GetByTestId("shift-report-net")).ToHaveTextAsync("¥250.00");
        await TestBrowser.ScreenshotAsync(report, "cashier-shift-report");
    }

    private static decimal Money(string? text) =>
        decimal.Parse((text ?? string.Empty).Replace("¥", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
