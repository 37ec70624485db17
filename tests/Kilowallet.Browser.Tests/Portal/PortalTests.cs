using System.Text.RegularExpressions;
using Kilowallet.Browser.Tests.Support;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests.Portal;

/// <summary>The tenant portal on a phone (360 × 740): sign in with a code from the SMS gateway, balance and charts, online top-up through Demo Pay.</summary>
public sealed partial class PortalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex SixDigits();

    /// <summary>A tenant with a phone, an account with ¥80 and a day of hourly use on the commercial time-of-use plan.</summary>
    internal static async Task<(BillingSetup.Made Made, string Phone)> SeedAsync(IServiceProvider services, int meters = 1)
    {
        var made = await BillingSetup.MakeAsync(services, ExamplePlans.CommercialTimeOfUse(), meters);
        var phone = "+86137" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            var tenant = await db.Tenants.SingleAsync(t => t.SiteId == made.Site, Ct);
            tenant.Phone = phone;
            tenant.Name = "Tea House";
            await db.SaveChangesAsync(Ct);
        }

        await services.GetRequiredService<AccountMoney>().OpeningBalanceAsync(made.Account, Money.Yuan(80m), "test", IdempotencyKey.ForSystem("browser-opening-" + made.Account.Value), Ct);
        var now = TimeProvider.System.GetUtcNow();
        var start = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero).AddHours(-36);
        var samples = made.Meters.SelectMany((meter, m) => Enumerable.Range(0, 36).Select(h =>
            BillingSetup.Reading(meter, start.AddHours(h), 50_000 + Enumerable.Range(0, h).Sum(x => 400 + (m * 150) + (x % 24 is >= 10 and < 21 ? 900 : 0))))).ToList();
        await services.GetRequiredService<ReadingBiller>().ApplyAsync(samples, Ct, TimeSpan.FromHours(1));
        await services.GetRequiredService<ChargePoster>().PostChargesAsync(Ct);
        return (made, phone);
    }

    [Fact]
    public async Task A_shop_owner_signs_in_with_an_sms_code_sees_the_balance_and_charts_and_tops_up_online()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var sms = await SmsSink.StartAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database, new Dictionary<string, string?>
        {
            ["Notifications:Sms:Url"] = sms.Url.ToString(),
            ["Notifications:PollSeconds"] = "1",
        }, kestrel: true);
        var (made, phone) = await SeedAsync(app.Services);
        var page = await browser.NewPageAsync(app.ServerAddress!, 360, 740);

        await page.GotoAsync("/my");
        await page.WaitForURLAsync("**/my/signin**");
        await page.GetByTestId("destination").FillAsync(phone[3..]);
        await TestBrowser.ScreenshotAsync(page, "portal-sign-in");
        await page.GetByTestId("send-code").ClickAsync();
        // The shop's low-balance reminder may reach the phone first: the code is in the message that carries one.
        var code = string.Empty;
        while (code.Length == 0)
        {
            code = SixDigits().Match(await sms.NextAsync(TimeSpan.FromSeconds(20))).Groups[1].Value;
        }

        await page.GetByTestId("code").FillAsync(code);
        await page.GetByTestId("verify-code").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/my");

        await Assertions.Expect(page.GetByTestId("balance")).ToContainTextAsync("¥");
        await Assertions.Expect(page.GetByTestId("days-left")).ToContainTextAsync("days");
        await Assertions.Expect(page.GetByTestId("chart-today").Locator("svg rect").First).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360"), "The portal must fit a 360 px screen.");
        var before = await page.GetByTestId("balance").InnerTextAsync();
        await TestBrowser.ScreenshotAsync(page, "portal-home");
        await page.Locator(".tab[data-chart=month]").ClickAsync();
        await TestBrowser.ScreenshotAsync(page, "portal-home-month-chart");

        await page.GetByTestId("topup").ClickAsync();
        await page.Locator("label.amount-choice", new() { HasText = "¥200" }).ClickAsync();
        await TestBrowser.ScreenshotAsync(page, "portal-top-up");
        await page.GetByTestId("pay").ClickAsync();
        await page.WaitForURLAsync("**/pay/demo/**");
        await Assertions.Expect(page.GetByTestId("amount")).ToContainTextAsync("200.00");
        await page.GetByTestId("pay").ClickAsync();
        await page.WaitForURLAsync("**/my/payment**");
        await Assertions.Expect(page.GetByTestId("payment-result")).ToHaveAttributeAsync("data-status", "paid");
        await Assertions.Expect(page.GetByTestId("paid-amount")).ToContainTextAsync("200.00");
        var after = await page.GetByTestId("balance").InnerTextAsync();
        Assert.Equal(Amount(before) + 200m, Amount(after));
        await TestBrowser.ScreenshotAsync(page, "portal-payment-result");

        await page.GotoAsync("/my/history");
        await Assertions.Expect(page.GetByTestId("history")).ToContainTextAsync("Top-up");
        await TestBrowser.ScreenshotAsync(page, "portal-history");
        await page.GotoAsync($"/my/statements/{made.Account.Value}/{TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8)):yyyy-MM}");
        await Assertions.Expect(page.GetByTestId("statement")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360"), "The statement must fit a 360 px screen.");
        await TestBrowser.ScreenshotAsync(page, "portal-statement");

        // The same portal in Chinese (the language cookie the header's switch sets).
        await page.Context.AddCookiesAsync([new Cookie { Name = "kw.lang", Value = "c=zh-Hans|uic=zh-Hans", Url = app.ServerAddress!.ToString() }]);
        await page.GotoAsync("/my");
        await Assertions.Expect(page.GetByTestId("topup")).ToHaveTextAsync("立即充值");
        await TestBrowser.ScreenshotAsync(page, "portal-home-zh");
    }

    private static decimal Amount(string text) => decimal.Parse(text.Replace("¥", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
