using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tenants;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Reports;

/// <summary>
/// A small mall billed through the real pipeline, with figures easy to compute by hand. One local day
/// (2026-03-02, Asia/Shanghai) of hourly readings at constant power on a time-of-use plan: valley
/// 22:00–08:00 at 0.30, flat 08:00–18:00 at 0.80, peak 18:00–22:00 at 1.20, so a meter drawing P Wh
/// an hour uses 24·P Wh a day, costing P/1000 × 15.80 (10 h × 0.30 + 10 h × 0.80 + 4 h × 1.20).
/// <list type="bullet">
/// <item>F1: shop A (supermarket, 100 m², account A1) 1,000 Wh/h = 24 kWh, ¥15.80; shop B (restaurant, 50 m², A2) 500 Wh/h = 12 kWh, ¥7.90;
/// public lighting 300 Wh/h = 7.2 kWh, ¥4.74.</item>
/// <item>F2: shop C (apparel, 30 m², A3) 250 Wh/h = 6 kWh, ¥3.95.</item>
/// <item>PUB: central air conditioning 700 Wh/h = 16.8 kWh, ¥11.06; master incomer 2,900 Wh/h = 69.6 kWh.</item>
/// </list>
/// </summary>
public static class ReportData
{
    public static readonly DateOnly Day = new(2026, 3, 2);
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8));

    public sealed record Made(SiteId Site, AccountId A1, AccountId A2, AccountId A3, TenantId TenantA, TenantId TenantB, IReadOnlyDictionary<string, MeterId> Meters);

    public static TariffPlan Plan() => new("TOU-REPORT", "Report test TOU", "CNY",
    [
        new TariffVersion(1, new DateOnly(2026, 1, 1), new BandPrices(Peak: 1.20m, Flat: 0.80m, Valley: 0.30m),
        [
            new Season("All year", 1, 12,
            [
                new TariffPeriod(new TimeOnly(22, 0), new TimeOnly(8, 0), TariffBand.Valley),
                new TariffPeriod(new TimeOnly(8, 0), new TimeOnly(18, 0), TariffBand.Flat),
                new TariffPeriod(new TimeOnly(18, 0), new TimeOnly(22, 0), TariffBand.Peak),
            ]),
        ]),
    ]);

    public static async Task<Made> MakeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var meters = new Dictionary<string, MeterId>();
        SiteId siteId;
        AccountId[] accounts;
        TenantId[] tenants;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KilowalletDb>();
            var code = "R" + Guid.NewGuid().ToString("N")[..6];
            var site = new Site { Code = code, Name = "Report Plaza", TimeZone = "Asia/Shanghai", Currency = "CNY" };
            db.Sites.Add(site);
            await db.SaveChangesAsync(cancellationToken);
            siteId = site.Id;
            var f1 = new Area { SiteId = site.Id, Code = "F1", Name = "Floor 1", Kind = AreaKind.Floor, Floor = 1 };
            var f2 = new Area { SiteId = site.Id, Code = "F2", Name = "Floor 2", Kind = AreaKind.Floor, Floor = 2 };
            var pub = new Area { SiteId = site.Id, Code = "PUB", Name = "Plant", Kind = AreaKind.Public, Floor = 0 };
            db.AddRange(f1, f2, pub);
            await db.SaveChangesAsync(cancellationToken);
            tenants = new TenantId[3];
            accounts = new AccountId[3];
            var shops = new (string Unit, string Name, Area Area, BusinessFormat Format, decimal M2, int Tenant)[]
            {
                ("1F-A", "Shop A", f1, BusinessFormat.Supermarket, 100m, 0),
                ("1F-B", "Shop B", f1, BusinessFormat.Restaurant, 50m, 1),
                ("2F-C", "Shop C", f2, BusinessFormat.Apparel, 30m, 2),
                ("PUB-L1", "F1 public lighting", f1, BusinessFormat.PublicArea, 0m, -1),
                ("PUB-HVAC", "Central air conditioning", pub, BusinessFormat.PublicArea, 0m, -1),
                ("PUB-MAIN", "Main incomer", pub, BusinessFormat.PublicArea, 0m, -2),
            };
            foreach (var (unit, name, area, format, m2, tenant) in shops)
            {
                var shop = new Shop { SiteId = site.Id, AreaId = area.Id, UnitNumber = unit, Name = name, BusinessFormat = format, FloorAreaM2 = m2 };
                db.Shops.Add(shop);
                await db.SaveChangesAsync(cancellationToken);
                AccountId? account = null;
                if (tenant >= 0)
                {
                    var t = new Tenant { SiteId = site.Id, Code = "T" + unit, Name = "Tenant " + name[^1], Phone = "+86138" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    db.Tenants.Add(t);
                    await db.SaveChangesAsync(cancellationToken);
                    var a = new Account { SiteId = site.Id, TenantId = t.Id, Number = "A" + (tenant + 1), Status = AccountStatus.Open, Warning1Minor = 100_00, Warning2Minor = 50_00, ReconnectLevelMinor = 10_00 };
                    db.Accounts.Add(a);
                    await db.SaveChangesAsync(cancellationToken);
                    tenants[tenant] = t.Id;
                    accounts[tenant] = a.Id;
                    account = a.Id;
                }

                var meter = new Meter
                {
                    SiteId = site.Id, Serial = code + "-" + unit, ProfileName = "sdm120", ShopId = shop.Id, AccountId = account,
                    Purpose = tenant >= 0 ? MeterPurpose.Tenant : tenant == -1 ? MeterPurpose.PublicArea : MeterPurpose.Master,
                };
                db.Meters.Add(meter);
                await db.SaveChangesAsync(cancellationToken);
                meters[unit] = meter.Id;
            }
        }

        var tariffs = services.GetRequiredService<TariffService>();
        var plan = await tariffs.SeedPlanAsync(siteId, Plan(), "test", cancellationToken);
        foreach (var account in accounts)
        {
            await tariffs.AssignAsync(plan.Id, account, null, new DateOnly(2026, 1, 1), "test", cancellationToken, allowPast: true);
        }

        foreach (var unit in new[] { "PUB-L1", "PUB-HVAC", "PUB-MAIN" })
        {
            await tariffs.AssignAsync(plan.Id, null, meters[unit], new DateOnly(2026, 1, 1), "test", cancellationToken, allowPast: true);
        }

        services.GetRequiredService<MeterDirectory>().Invalidate();
        services.GetRequiredService<TariffCatalog>().Invalidate();
        var power = new Dictionary<string, long> { ["1F-A"] = 1_000, ["1F-B"] = 500, ["2F-C"] = 250, ["PUB-L1"] = 300, ["PUB-HVAC"] = 700, ["PUB-MAIN"] = 2_900 };
        var samples = new List<MeterSample>();
        foreach (var (unit, wh) in power)
        {
            for (var hour = 0; hour <= 24; hour++)
            {
                samples.Add(BillingSetup.Reading(meters[unit], Start.AddHours(hour), 100_000 + (wh * hour)));
            }
        }

        await services.GetRequiredService<ReadingBiller>().ApplyAsync(samples, cancellationToken, TimeSpan.FromHours(1));
        return new Made(siteId, accounts[0], accounts[1], accounts[2], tenants[0], tenants[1], meters);
    }
}
