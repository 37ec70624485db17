using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Infrastructure;

/// <summary>A site with one tenant account and meters on a plan, made through the real services.</summary>
public static class BillingSetup
{
    public sealed record Made(SiteId Site, AccountId Account, IReadOnlyList<MeterId> Meters);

    public static async Task<Made> MakeAsync(IServiceProvider services, TariffPlan plan, int meters = 1, string profile = "sdm120", decimal ctRatio = 1m, string timeZone = "Asia/Shanghai")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(plan);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
        var code = "B" + Guid.NewGuid().ToString("N")[..6];
        var site = new Site { Code = code, Name = code, TimeZone = timeZone, Currency = plan.Currency };
        db.Sites.Add(site);
        await db.SaveChangesAsync();
        var area = new Area { SiteId = site.Id, Code = "F1", Name = "F1" };
        var tenant = new Tenant { SiteId = site.Id, Code = "T", Name = "Tenant" };
        db.AddRange(area, tenant);
        await db.SaveChangesAsync();
        var account = new Account
        {
            SiteId = site.Id, TenantId = tenant.Id, Number = "A", Status = AccountStatus.Open,
            Warning1Minor = 100_00, Warning2Minor = 50_00, TripLevelMinor = 0, ReconnectLevelMinor = 10_00,
        };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        var ids = new List<MeterId>();
        for (var i = 0; i < meters; i++)
        {
            var shop = new Shop { SiteId = site.Id, AreaId = area.Id, UnitNumber = $"U{i}", Name = $"Shop {i}", PowerLimitKw = 100m };
            db.Shops.Add(shop);
            await db.SaveChangesAsync();
            var meter = new Meter { SiteId = site.Id, Serial = $"{code}-M{i}", ProfileName = profile, ShopId = shop.Id, AccountId = account.Id, CtRatio = ctRatio, Purpose = MeterPurpose.Tenant };
            db.Meters.Add(meter);
            await db.SaveChangesAsync();
            ids.Add(meter.Id);
        }

        var tariffs = scope.ServiceProvider.GetRequiredService<TariffService>();
        var planRecord = await tariffs.SeedPlanAsync(site.Id, plan, "test", CancellationToken.None);
        await tariffs.AssignAsync(planRecord.Id, account.Id, null, plan.Versions[0].EffectiveFrom, "test", CancellationToken.None, allowPast: true);
        services.GetRequiredService<MeterDirectory>().Invalidate();
        return new Made(site.Id, account.Id, ids);
    }

    public static MeterSample Reading(MeterId meter, DateTimeOffset at, long energyWh, BandEnergyWh? bands = null) =>
        new(meter, at, SampleSource.Poll, energyWh, bands, new LiveValues(230, null, null, 5, null, null, null, null, null, 1.1, 0.95, 50), RelayReport.Closed, 0);
}
