using System.Net;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Web;

/// <summary>Tariffs, administration and commissioning pages by role, rendered in both languages.</summary>
public sealed class ConsolePageAccessTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private KilowalletApp _app = null!;
    private long _planId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("sqlite");
        _app = new KilowalletApp(_database);
        var made = await BillingSetup.MakeAsync(_app.Services, ExamplePlans.CommercialTimeOfUse());
        await using var scope = _app.Services.CreateAsyncScope();
        _planId = await scope.ServiceProvider.GetRequiredService<KilowalletDb>().TariffPlans.Where(p => p.SiteId == made.Site).Select(p => p.Id).SingleAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData(Roles.Admin, "/console/admin", true)]
    [InlineData(Roles.Admin, "/console/admin?tab=audit", true)]
    [InlineData(Roles.Operator, "/console/admin", false)]
    [InlineData(Roles.Cashier, "/console/admin", false)]
    [InlineData(Roles.Operator, "/console/tariffs", true)]
    [InlineData(Roles.Operator, "/console/tariffs/new", true)]
    [InlineData(Roles.Cashier, "/console/tariffs", false)]
    [InlineData(Roles.Cashier, "/console/tariffs/new", false)]
    [InlineData(Roles.Operator, "/console/commissioning", true)]
    [InlineData(Roles.Cashier, "/console/commissioning", false)]
    public async Task Pages_open_for_the_roles_that_may_use_them_and_send_the_others_away(string role, string path, bool allowed)
    {
        using var client = await _app.CreateUserClientAsync(role);
        var response = await client.GetAsync(path, Ct);
        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            Assert.Equal("/denied", response.RequestMessage!.RequestUri!.AbsolutePath);
        }
    }

    [Fact]
    public async Task A_cashier_gets_no_plan_page_and_a_tenant_gets_none_of_them()
    {
        using var cashier = await _app.CreateUserClientAsync(Roles.Cashier);
        Assert.Equal("/denied", (await cashier.GetAsync($"/console/tariffs/{_planId}", Ct)).RequestMessage!.RequestUri!.AbsolutePath);
        using var anonymous = _app.CreateClient();
        Assert.Equal("/login", (await anonymous.GetAsync($"/console/tariffs/{_planId}", Ct)).RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task The_plan_page_renders_in_Chinese_with_its_band_chart()
    {
        using var client = await _app.CreateUserClientAsync(Roles.Operator);
        client.DefaultRequestHeaders.Add("Accept-Language", "zh-CN");
        var page = await client.GetStringAsync($"/console/tariffs/{_planId}", Ct);
        Assert.Contains("版本历史", page, StringComparison.Ordinal);
        Assert.Contains("class=\"seg sharp\"", page, StringComparison.Ordinal);
        Assert.Contains("11:00–13:00 尖", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/console/tariffs/987654", Ct)).StatusCode);
    }
}
