using Kilowallet.Domain;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tenants;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Admin;

/// <summary>The existing directory, loaded and tracked, indexed by natural key for resolving CSV references.</summary>
public sealed class ImportContext
{
    private ImportContext()
    {
    }

    public Dictionary<string, Site> Sites { get; private init; } = [];

    public Dictionary<(SiteId, string), Area> Areas { get; private init; } = [];

    public Dictionary<AreaId, Area> AreasById { get; private init; } = [];

    public Dictionary<(SiteId, string), Shop> Shops { get; private init; } = [];

    public Dictionary<ShopId, Shop> ShopsById { get; private init; } = [];

    public Dictionary<(SiteId, string), Tenant> Tenants { get; private init; } = [];

    public Dictionary<TenantId, Tenant> TenantsById { get; private init; } = [];

    public Dictionary<(SiteId, string), Account> Accounts { get; private init; } = [];

    public Dictionary<AccountId, Account> AccountsById { get; private init; } = [];

    public Dictionary<(SiteId, string), Gateway> Gateways { get; private init; } = [];

    public Dictionary<GatewayId, Gateway> GatewaysById { get; private init; } = [];

    public Dictionary<string, Meter> Meters { get; private init; } = [];

    public static async Task<ImportContext> LoadAsync(KilowalletDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sites = await db.Sites.ToListAsync(cancellationToken);
        var areas = await db.Areas.ToListAsync(cancellationToken);
        var shops = await db.Shops.ToListAsync(cancellationToken);
        var tenants = await db.Tenants.ToListAsync(cancellationToken);
        var accounts = await db.Accounts.ToListAsync(cancellationToken);
        var gateways = await db.Gateways.ToListAsync(cancellationToken);
        var meters = await db.Meters.ToListAsync(cancellationToken);
        return new ImportContext
        {
            Sites = sites.ToDictionary(s => s.Code, StringComparer.Ordinal),
            Areas = areas.ToDictionary(a => (a.SiteId, a.Code)),
            AreasById = areas.ToDictionary(a => a.Id),
            Shops = shops.ToDictionary(s => (s.SiteId, s.UnitNumber)),
            ShopsById = shops.ToDictionary(s => s.Id),
            Tenants = tenants.ToDictionary(t => (t.SiteId, t.Code)),
            TenantsById = tenants.ToDictionary(t => t.Id),
            Accounts = accounts.ToDictionary(a => (a.SiteId, a.Number)),
            AccountsById = accounts.ToDictionary(a => a.Id),
            Gateways = gateways.ToDictionary(g => (g.SiteId, g.Name)),
            GatewaysById = gateways.ToDictionary(g => g.Id),
            Meters = meters.ToDictionary(m => m.Serial, StringComparer.Ordinal),
        };
    }

    public string SiteCode(SiteId id) => Sites.Values.First(s => s.Id == id).Code;

    /// <summary>The site named by the row's site_code column, or null with an error recorded.</summary>
    public Site? ResolveSite(RowReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var code = row.Required("site_code", 32);
        if (code.Length == 0)
        {
            return null;
        }

        if (Sites.TryGetValue(code, out var site))
        {
            return site;
        }

        row.Error("site_code", $"no site '{code}' (import sites first)");
        return null;
    }
}
