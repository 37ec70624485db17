using Kilowallet.Domain;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Kilowallet.Server.Tenants;
using Kilowallet.Domain.Tariffs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Demo;

/// <summary>
/// Seeds Demo Plaza into an empty database at first start, in one transaction, so a second start
/// (or a crash half way) never seeds twice or leaves half a mall.
/// </summary>
public sealed class DemoSeeder(
    IOptions<DemoOptions> options,
    IDbContextFactory<KilowalletDb> dbFactory,
    TimeProvider clock,
    ILogger<DemoSeeder> logger) : IHostedService
{
    /// <summary>Default thresholds of a demo account, in fen: warnings at 100 and 50 CNY, trip at 0, reconnect above 10.</summary>
    private const long Warning1Minor = 100_00;
    private const long Warning2Minor = 50_00;
    private const long ReconnectMinor = 10_00;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await SeedIfEmptyAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The shipped example plans (a Chinese commercial TOU tariff with a summer sharp band, a flat and a
    /// tiered tariff, a night plan for refrigeration), in force from the start of the year: most tenants
    /// on TOU, the cinema on the tiered plan, services on the flat one; public circuits and the incomer
    /// priced at TOU for the property's own cost reports.
    /// </summary>
    private static async Task SeedTariffsAsync(KilowalletDb db, Site site, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var records = new Dictionary<string, TariffPlanRecord>(StringComparer.Ordinal);
        foreach (var plan in ExamplePlans.All().Values)
        {
            var record = new TariffPlanRecord { SiteId = site.Id, Code = plan.Code, Name = plan.Name, Currency = plan.Currency, CreatedAt = now };
            db.TariffPlans.Add(record);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var version in plan.Versions)
            {
                db.TariffVersions.Add(new TariffVersionRecord
                {
                    PlanId = record.Id, Number = version.Number, EffectiveFrom = version.EffectiveFrom,
                    Definition = TariffPlanJson.SerializeVersion(version), CreatedAt = now, CreatedBy = "demo",
                });
            }

            records[plan.Code] = record;
        }

        var tou = records[ExamplePlans.CommercialTimeOfUse().Code];
        var flat = records[ExamplePlans.Flat().Code];
        var tiered = records[ExamplePlans.Tiered().Code];
        var from = ExamplePlans.EffectiveFrom;
        var shops = await db.Shops.Where(s => s.SiteId == site.Id).ToDictionaryAsync(s => s.Id, cancellationToken);
        foreach (var meter in await db.Meters.Where(m => m.SiteId == site.Id).ToListAsync(cancellationToken))
        {
            var format = meter.ShopId is { } shop ? shops[shop].BusinessFormat : BusinessFormat.Other;
            if (meter.AccountId is { } account)
            {
                var plan = format switch
                {
                    BusinessFormat.Cinema => tiered,
                    BusinessFormat.Services => flat,
                    _ => tou,
                };
                db.TariffAssignments.Add(new TariffAssignmentRecord { PlanId = plan.Id, AccountId = account, From = from, CreatedBy = "demo", CreatedAt = now });
            }
            else
            {
                db.TariffAssignments.Add(new TariffAssignmentRecord { PlanId = tou.Id, MeterId = meter.Id, From = from, CreatedBy = "demo", CreatedAt = now });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Seeds Demo Plaza if the database has no site at all; returns whether it did.</summary>
    public async Task<bool> SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Sites.AnyAsync(cancellationToken))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var site = new Site { Code = DemoPlaza.SiteCode, Name = DemoPlaza.SiteName, TimeZone = DemoPlaza.TimeZone, Currency = DemoPlaza.Currency, CreatedAt = now };
        db.Sites.Add(site);
        await db.SaveChangesAsync(cancellationToken);

        var areas = DemoPlaza.Areas.ToDictionary(
            a => a.Code,
            a => new Area { SiteId = site.Id, Code = a.Code, Name = a.Name, Kind = a.Kind, Floor = a.Floor });
        db.Areas.AddRange(areas.Values);
        var gateways = DemoPlaza.Gateways.ToDictionary(
            g => g.Name,
            g => new Gateway
            {
                SiteId = site.Id,
                Name = g.Name,
                Transport = g.Transport,
                Host = g.Transport == GatewayTransport.Mqtt ? null : "127.0.0.1",
                TimeoutMs = 1000,
            });
        db.Gateways.AddRange(gateways.Values);
        await db.SaveChangesAsync(cancellationToken);

        foreach (var demo in DemoPlaza.Shops)
        {
            var shop = new Shop
            {
                SiteId = site.Id,
                AreaId = areas[demo.AreaCode].Id,
                UnitNumber = demo.UnitNumber,
                Name = demo.Name,
                FloorAreaM2 = demo.FloorAreaM2,
                BusinessFormat = demo.Format,
                PowerLimitKw = demo.PowerLimitKw,
                HighPowerAppliancesAllowed = demo.Format is BusinessFormat.Restaurant or BusinessFormat.Supermarket or BusinessFormat.PublicArea,
            };
            db.Shops.Add(shop);
            Account? account = null;
            if (demo.TenantName is not null)
            {
                var tenant = new Tenant
                {
                    SiteId = site.Id,
                    Code = "T-" + demo.UnitNumber,
                    Name = demo.TenantName,
                    ContactName = demo.ContactName,
                    Phone = demo.Phone,
                    PreferredLanguage = demo.Language,
                };
                db.Tenants.Add(tenant);
                account = new Account
                {
                    SiteId = site.Id,
                    Tenant = tenant,
                    Number = "A-" + demo.UnitNumber,
                    Status = AccountStatus.Open,
                    Warning1Minor = Warning1Minor,
                    Warning2Minor = Warning2Minor,
                    TripLevelMinor = 0,
                    ReconnectLevelMinor = ReconnectMinor,
                    OpenedAt = now,
                };
                db.Accounts.Add(account);
            }

            await db.SaveChangesAsync(cancellationToken);
            db.Meters.Add(new Meter
            {
                SiteId = site.Id,
                Serial = demo.MeterSerial,
                ProfileName = demo.ProfileName,
                GatewayId = gateways[demo.GatewayName].Id,
                UnitId = demo.UnitId,
                Dlt645Address = demo.Dlt645Address,
                MqttClientId = gateways[demo.GatewayName].Transport == GatewayTransport.Mqtt ? demo.MeterSerial : null,
                CtRatio = demo.CtRatio,
                PtRatio = 1m,
                PhaseCount = demo.PhaseCount,
                ShopId = shop.Id,
                AccountId = account?.Id,
                Purpose = DemoPlaza.IsMaster(demo) ? MeterPurpose.Master : demo.TenantName is null ? MeterPurpose.PublicArea : MeterPurpose.Tenant,
                Status = MeterStatus.Active,
                FeedsOwnGateway = DemoPlaza.FeedsOwnGateway(demo),
                InstalledAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        await SeedTariffsAsync(db, site, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Seeded {Site}: {Shops} supply points, {Gateways} gateways", DemoPlaza.SiteName, DemoPlaza.Shops.Count, DemoPlaza.Gateways.Count);
        return true;
    }
}
