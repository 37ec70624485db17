using Kilowallet.Browser.Tests.Support;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kilowallet.Browser.Tests;

/// <summary>
/// Commissioning on Demo Plaza (its simulated meters served on loopback): gateways with their link,
/// the meters behind one, the add forms' checks, and — once the server offers the gateway/meter
/// creation and test-read routes — adding a gateway and a meter and a test read.
/// </summary>
public sealed class CommissioningTests(DemoPlazaServer server) : IClassFixture<DemoPlazaServer>, IAsyncLifetime
{
    private readonly KilowalletApp _app = server.App;
    private TestBrowser _browser = null!;
    private IPage _page = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _browser = await TestBrowser.LaunchAsync();
        _page = await _browser.NewPageAsync(_app.ServerAddress!);
        await Staff.SignInAsNewAsync(_app, _page, Roles.Operator);
    }

    public async ValueTask DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task Gateways_are_listed_with_their_link_and_meters_and_the_forms_check_their_fields()
    {
        await _page.GotoAsync("/console/commissioning");
        var gateways = _page.GetByTestId("gateways");
        await Assertions.Expect(gateways).ToContainTextAsync("F2-DTU");
        // Demo Plaza's 7 gateways, and any a test of this class added before (the tests share one server).
        Assert.True(await gateways.Locator("tr[data-gateway]").CountAsync() >= 7);
        await Assertions.Expect(gateways).ToContainTextAsync("Modbus RTU over TCP (DTU)");
        await Assertions.Expect(gateways.Locator("tr").Filter(new() { HasText = "4G-MQTT" })).ToContainTextAsync("Not polled");
        await Assertions.Expect(gateways.Locator("tr").Filter(new() { HasText = "F1-BUS-A" }).Locator(".badge")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Online|Offline|Not yet known"));

        await gateways.GetByRole(AriaRole.Link, new() { Name = "F3-645" }).ClickAsync();
        await Assertions.Expect(_page.Locator("#meters h2")).ToContainTextAsync("F3-645");
        Assert.True(await _page.GetByTestId("meters").Locator("tr[data-meter]").CountAsync() > 0);
        await Assertions.Expect(_page.GetByTestId("meters").Locator("tr[data-meter]").First.GetByRole(AriaRole.Button, new() { Name = "Test read" })).ToBeVisibleAsync();
        await TestBrowser.ScreenshotAsync(_page, "commissioning");

        var before = await GatewayCountAsync();
        var form = _page.Locator("#gateway-form");
        await form.Locator("[name=transport]").SelectOptionAsync("modbusTcp");
        await form.GetByLabel("Host", new() { Exact = true }).FillAsync("192.0.2.10");
        await form.GetByLabel("Port", new() { Exact = true }).FillAsync("70000");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add a gateway" }).ClickAsync();
        await Assertions.Expect(form.Locator("[data-error-for='name']")).ToHaveTextAsync("Required.");
        await Assertions.Expect(form.Locator("[data-error-for='port']")).ToContainTextAsync("1 to 65535");

        var meterForm = _page.Locator("#meter-form");
        await meterForm.GetByLabel("Serial number").FillAsync("NEW-0001");
        await meterForm.Locator("[name=gatewayId]").SelectOptionAsync(new SelectOptionValue { Label = "F1-BUS-A" });
        await meterForm.Locator("[name=profileName]").SelectOptionAsync("kpm31");
        await meterForm.GetByLabel("Address on the bus").FillAsync("300");
        await meterForm.GetByLabel("CT ratio").FillAsync("0");
        await meterForm.GetByRole(AriaRole.Button, new() { Name = "Add a meter" }).ClickAsync();
        await Assertions.Expect(meterForm.Locator("[data-error-for='unitId']")).ToContainTextAsync("1 to 247");
        await Assertions.Expect(meterForm.Locator("[data-error-for='ctRatio']")).ToContainTextAsync("above 0");
        Assert.Equal(before, await GatewayCountAsync());
    }

    [Fact]
    public async Task An_operator_adds_a_gateway_and_a_meter_behind_it()
    {
        await _page.GotoAsync("/console/commissioning");
        var form = _page.Locator("#gateway-form");
        await form.GetByLabel("Name", new() { Exact = true }).FillAsync("F4-BUS");
        await form.Locator("[name=transport]").SelectOptionAsync("modbusTcp");
        await form.GetByLabel("Host", new() { Exact = true }).FillAsync("192.0.2.10");
        await form.GetByLabel("Port", new() { Exact = true }).FillAsync("502");
        await form.GetByLabel("Poll this gateway").UncheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Add a gateway" }).ClickAsync();
        await Assertions.Expect(_page.Locator("#meters h2")).ToContainTextAsync("F4-BUS");

        var meterForm = _page.Locator("#meter-form");
        await meterForm.GetByLabel("Serial number").FillAsync("NEW-0001");
        await meterForm.Locator("[name=profileName]").SelectOptionAsync("kpm31");
        await meterForm.Locator("[name=gatewayId]").SelectOptionAsync(new SelectOptionValue { Label = "F4-BUS" });
        await meterForm.GetByLabel("Address on the bus").FillAsync("7");
        await meterForm.GetByRole(AriaRole.Button, new() { Name = "Add a meter" }).ClickAsync();
        await Assertions.Expect(meterForm.Locator("[data-error-for='accountId']")).ToContainTextAsync("account");
        await meterForm.Locator("[name=accountId]").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await meterForm.GetByRole(AriaRole.Button, new() { Name = "Add a meter" }).ClickAsync();
        await Assertions.Expect(_page.GetByTestId("meters")).ToContainTextAsync("NEW-0001");
    }

    [Fact]
    public async Task A_test_read_shows_the_decoded_values_and_the_raw_registers()
    {
        await _page.GotoAsync("/console/commissioning");
        await _page.GetByTestId("gateways").GetByRole(AriaRole.Link, new() { Name = "F1-BUS-A" }).ClickAsync();
        var first = _page.GetByTestId("meters").Locator("tr[data-meter]").First;
        await first.GetByRole(AriaRole.Button, new() { Name = "Test read" }).ClickAsync();
        var readout = _page.GetByTestId("readout");
        await Assertions.Expect(readout).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(readout).ToContainTextAsync("Answered");
        await Assertions.Expect(readout.GetByTestId("readout-values")).ToContainTextAsync("energy_total");
        await Assertions.Expect(readout.GetByTestId("readout-raw").Locator("td.mono").Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9A-F]{4}( [0-9A-F]{4})*$"));
        await TestBrowser.ScreenshotAsync(_page, "commissioning-test-read");

        // The same read for a meter not saved yet: the gateway, the profile and the unit id of the first meter.
        var unit = (await first.Locator("td").Nth(2).InnerTextAsync()).Trim();
        var meterForm = _page.Locator("#meter-form");
        await meterForm.Locator("[name=gatewayId]").SelectOptionAsync(new SelectOptionValue { Label = "F1-BUS-A" });
        await meterForm.Locator("[name=profileName]").SelectOptionAsync((await first.Locator("td").Nth(1).InnerTextAsync()).Trim());
        await meterForm.GetByLabel("Address on the bus").FillAsync(unit);
        await meterForm.GetByRole(AriaRole.Button, new() { Name = "Test read before saving" }).ClickAsync();
        await Assertions.Expect(_page.Locator("#try-readout")).ToContainTextAsync("energy_total", new() { Timeout = 30_000 });
    }

    private async Task<int> GatewayCountAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KilowalletDb>().Gateways.CountAsync(Ct);
    }
}
