using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Tariffs;

/// <summary>Plan summaries for the tariff list: the version in force today and how many meters the plan prices today.</summary>
public sealed class TariffSummaryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_summary_names_the_version_in_force_and_counts_meters_by_the_assignment_in_force(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database);
        var made = await BillingSetup.MakeAsync(app.Services, ExamplePlans.CommercialTimeOfUse(), meters: 3);
        long commercial, night;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var tariffs = scope.ServiceProvider.GetRequiredService<TariffService>();
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            commercial = await db.TariffPlans.Where(p => p.SiteId == made.Site).Select(p => p.Id).SingleAsync(Ct);
            night = (await tariffs.SeedPlanAsync(made.Site, ExamplePlans.RefrigerationNight(), "test", Ct)).Id;

            // Meter 0 has its own plan since January; meter 1 gets one only next month; a future version changes nothing today.
            await tariffs.AssignAsync(night, null, made.Meters[0], ExamplePlans.EffectiveFrom, "test", Ct, allowPast: true);
            var today = (await scope.ServiceProvider.GetRequiredService<TariffCatalog>().CalendarAsync(made.Site, Ct)).LocalDateOf(TimeProvider.System.GetUtcNow());
            await tariffs.AssignAsync(night, null, made.Meters[1], today.AddMonths(1), "test", Ct);
            var next = ExamplePlans.CommercialTimeOfUse().Versions[0] with { EffectiveFrom = today.AddDays(3) };
            await tariffs.AddVersionAsync(commercial, TariffPlanJson.SerializeVersion(next), "test", Ct);
        }

        using var client = await app.CreateApiClientAsync(ApiKeyScopes.Operate);
        var plans = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/tariffs?siteId={made.Site.Value}", Ct)).GetProperty("items").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetInt64());
        Assert.Equal(2, plans[commercial].GetProperty("assignedMeters").GetInt32());
        Assert.Equal(1, plans[commercial].GetProperty("currentVersion").GetInt32());
        Assert.Equal(2, plans[commercial].GetProperty("versions").GetArrayLength());
        Assert.Equal(1, plans[night].GetProperty("assignedMeters").GetInt32());

        var one = await client.GetFromJsonAsync<JsonElement>($"/api/v1/tariffs/{commercial}", Ct);
        Assert.Equal(2, one.GetProperty("summary").GetProperty("assignedMeters").GetInt32());
    }
}
