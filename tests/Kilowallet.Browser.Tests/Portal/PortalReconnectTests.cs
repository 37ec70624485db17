using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kilowallet.Browser.Tests.Support;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests.Portal;

/// <summary>
/// The whole prepaid loop from the tenant's phone, on Demo Plaza's simulated meters over real sockets: the shop's
/// credit runs out and its relay opens; the owner signs in with a code, tops up through Demo Pay and sees the supply
/// back on.
/// </summary>
public sealed partial class PortalReconnectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex SixDigits();

    [Fact]
    public async Task A_tripped_shops_owner_tops_up_on_the_phone_and_sees_the_supply_back_on()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var sms = await SmsSink.StartAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = DemoMall.Start(database, new Dictionary<string, string?>
        {
            ["Acquisition:EnergyIntervalSeconds"] = "2",
            ["Acquisition:LiveIntervalSeconds"] = "2",
            ["Notifications:Sms:Url"] = sms.Url.ToString(),
            ["Notifications:PollSeconds"] = "1",
        });
        using var api = await app.CreateApiClientAsync(ApiKeyScopes.Operate);

        // 1F-006 runs out of credit (an operator's correction) and the control loop opens its relay.
        var hit = (await api.GetFromJsonAsync<JsonElement>("/api/v1/cashier/search?q=1F-006", Ct))[0];
        var account = hit.GetProperty("accountId").GetInt64();
        var phone = hit.GetProperty("phone").GetString()!;
        var meter = hit.GetProperty("meters")[0].GetProperty("id").GetInt64();
        using (var debit = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{account}/adjustments")
        {
            Content = JsonContent.Create(new { amount = -(hit.GetProperty("available").GetDecimal() + 20m), reason = "test: exhaust the credit" }),
        })
        {
            debit.Headers.Add("Idempotency-Key", "exhaust-1F-006");
            (await api.SendAsync(debit, Ct)).EnsureSuccessStatusCode();
        }

        await Eventually.UntilAsync(
            async () => (await api.GetFromJsonAsync<JsonElement>($"/api/v1/meters/{meter}/control", Ct)).GetProperty("reported").GetString() == "open",
            "the relay of 1F-006 to open", TimeSpan.FromSeconds(90));

        var page = await browser.NewPageAsync(app.ServerAddress!, 360, 740);
        await page.GotoAsync("/my");
        await page.GetByTestId("destination").FillAsync(phone[3..]);
        await page.GetByTestId("send-code").ClickAsync();
        var code = string.Empty;
        while (code.Length == 0)
        {
            // The reminder and power-cut messages reach the same phone; the code is in the one that carries it.
            code = SixDigits().Match(await sms.NextAsync(TimeSpan.FromSeconds(30))).Groups[1].Value;
        }

        await page.GetByTestId("code").FillAsync(code);
        await page.GetByTestId("verify-code").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/my");
        var shown = page.Locator($"[data-testid=meter][data-meter=\"{meter}\"]");
        await Assertions.Expect(shown).ToHaveAttributeAsync("data-state", "tripped");
        await TestBrowser.ScreenshotAsync(page, "portal-tripped");

        await page.GetByTestId("topup").ClickAsync();
        await page.Locator("label.amount-choice", new() { HasText = "¥200" }).ClickAsync();
        await page.GetByTestId("pay").ClickAsync();
        await page.WaitForURLAsync("**/pay/demo/**");
        await page.GetByTestId("pay").ClickAsync();
        await page.WaitForURLAsync("**/my/payment**");
        await Assertions.Expect(page.GetByTestId("payment-result")).ToHaveAttributeAsync("data-status", "paid");

        // The payment reconnects the meter; the home page shows it on once the meter reports its relay closed.
        for (var attempt = 0; attempt < 45 && await ShownStateAsync(page, meter) != "on"; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        }

        await Assertions.Expect(shown).ToHaveAttributeAsync("data-state", "on");
        await TestBrowser.ScreenshotAsync(page, "portal-back-on");
    }

    private static async Task<string?> ShownStateAsync(IPage page, long meter)
    {
        await page.GotoAsync("/my");
        return await page.Locator($"[data-testid=meter][data-meter=\"{meter}\"]").GetAttributeAsync("data-state");
    }
}
