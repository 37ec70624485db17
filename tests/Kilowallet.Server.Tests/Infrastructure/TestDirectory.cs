using Kilowallet.Domain;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tenants;

namespace Kilowallet.Server.Tests.Infrastructure;

/// <summary>Test data builders: a site with tenants and open accounts, made fresh by each test.</summary>
public static class TestDirectory
{
    public sealed record Made(SiteId Site, IReadOnlyList<TenantId> Tenants, IReadOnlyList<AccountId> Accounts);

    /// <summary>A site with <paramref name="tenants"/> tenants, each with <paramref name="accountsPerTenant"/> open accounts (thresholds 100/50/0/10 CNY).</summary>
    public static async Task<Made> MakeAsync(KilowalletDb db, int tenants = 1, int accountsPerTenant = 1, string currency = "CNY")
    {
        ArgumentNullException.ThrowIfNull(db);
        var code = "S" + Guid.NewGuid().ToString("N")[..6];
        var site = new Site { Code = code, Name = "Test site " + code, TimeZone = "Asia/Shanghai", Currency = currency };
        db.Sites.Add(site);
        await db.SaveChangesAsync();
        var tenantIds = new List<TenantId>();
        var accountIds = new List<AccountId>();
        for (var t = 0; t < tenants; t++)
        {
            var tenant = new Tenant { SiteId = site.Id, Code = $"T{t}", Name = $"Tenant {t}", Phone = $"+861380000{t:D4}" };
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync();
            tenantIds.Add(tenant.Id);
            for (var a = 0; a < accountsPerTenant; a++)
            {
                var account = new Account
                {
                    SiteId = site.Id, TenantId = tenant.Id, Number = $"A-{t}-{a}", Status = AccountStatus.Open,
                    Warning1Minor = 100_00, Warning2Minor = 50_00, TripLevelMinor = 0, ReconnectLevelMinor = 10_00,
                };
                db.Accounts.Add(account);
                await db.SaveChangesAsync();
                accountIds.Add(account.Id);
            }
        }

        return new Made(site.Id, tenantIds, accountIds);
    }
}
