using Kilowallet.Domain;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Overview;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Accounts;

/// <summary>
/// Finds accounts the way people name them — shop number, shop or tenant name, phone, meter serial or
/// account number — with their available balance and their meters' supply state (the till's search box
/// and the accounts console).
/// </summary>
public sealed class AccountFinder(KilowalletDb db, LiveStateStore live)
{
    public const int MaxHits = 20;

    public sealed record MeterHit(long Id, string Serial, string? UnitNumber, string? ShopName, SupplyState State);

    public sealed record AccountHit(
        long AccountId, string Number, AccountStatus Status, long TenantId, string TenantName, string? Phone,
        decimal Available, decimal Warning1, bool Exhausted, IReadOnlyList<MeterHit> Meters);

    /// <summary>Accounts matching <paramref name="query"/>: an exact shop, account or meter match first, then the rest by account number.</summary>
    public async Task<IReadOnlyList<AccountHit>> SearchAsync(string query, CancellationToken cancellationToken)
    {
        var term = (query ?? string.Empty).Trim().ToLowerInvariant();
        if (term.Length == 0)
        {
            return [];
        }

        // ToLower() here is SQL lower(), the same on SQLite and PostgreSQL; the analyzers' culture advice is for .NET strings.
#pragma warning disable CA1304, CA1311, CA1862
        var accounts = await db.Accounts.AsNoTracking()
            .Where(a => a.Number.ToLower().Contains(term)
                || db.Tenants.Any(t => t.Id == a.TenantId && (t.Name.ToLower().Contains(term) || t.Code.ToLower() == term || (t.Phone != null && t.Phone.Contains(term))))
                || db.Meters.Any(m => m.AccountId == (AccountId?)a.Id && (m.Serial.ToLower().Contains(term)
                    || db.Shops.Any(s => (ShopId?)s.Id == m.ShopId && (s.UnitNumber.ToLower().Contains(term) || s.Name.ToLower().Contains(term))))))
            .OrderBy(a => a.Status).ThenBy(a => a.Number)
            .Take(MaxHits * 5)
            .ToListAsync(cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
        if (accounts.Count == 0)
        {
            return [];
        }

        var hits = await HitsAsync(accounts, term, cancellationToken);
        return [.. hits.OrderBy(h => h.Rank).ThenBy(h => h.Hit.Number, StringComparer.Ordinal).Take(MaxHits).Select(h => h.Hit)];
    }

    /// <summary>Every account, by number.</summary>
    public async Task<IReadOnlyList<AccountHit>> ListAsync(CancellationToken cancellationToken)
    {
        var accounts = await db.Accounts.AsNoTracking().OrderBy(a => a.Number).ToListAsync(cancellationToken);
        return [.. (await HitsAsync(accounts, string.Empty, cancellationToken)).Select(h => h.Hit)];
    }

    private async Task<List<(int Rank, AccountHit Hit)>> HitsAsync(List<Account> accounts, string term, CancellationToken cancellationToken)
    {
        var ids = accounts.ConvertAll(a => a.Id);
        var tenantIds = accounts.ConvertAll(a => a.TenantId);
        var tenants = await db.Tenants.AsNoTracking().Where(t => tenantIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        var wallets = await db.LedgerAccounts.AsNoTracking().Where(l => l.AccountId != null && ids.Contains(l.AccountId.Value))
            .ToDictionaryAsync(l => l.AccountId!.Value, l => l.BalanceMinor, cancellationToken);
        var meters = await (from m in db.Meters.AsNoTracking()
                            where m.AccountId != null && ids.Contains(m.AccountId.Value) && m.Status != MeterStatus.Decommissioned
                            join s in db.Shops on m.ShopId equals (ShopId?)s.Id into shops
                            from shop in shops.DefaultIfEmpty()
                            select new { m.Id, m.Serial, Account = m.AccountId!.Value, Unit = shop == null ? null : shop.UnitNumber, Shop = shop == null ? null : shop.Name })
                           .ToListAsync(cancellationToken);
        var metersByAccount = meters.ToLookup(m => m.Account);

        var hits = new List<(int Rank, AccountHit Hit)>(accounts.Count);
        foreach (var a in accounts)
        {
            var tenant = tenants[a.TenantId];
            var available = AccountBalance.AvailableOf(wallets.GetValueOrDefault(a.Id), a.AccruedPico + a.CarryPico);
            var warning1 = Money.FromMinorUnits(a.Warning1Minor).Amount;
            var own = metersByAccount[a.Id]
                .Select(m => new MeterHit(m.Id.Value, m.Serial, m.Unit, m.Shop, MallStatus.Classify(live.Get(m.Id), 0, null, available, warning1)))
                .OrderBy(m => m.UnitNumber, StringComparer.Ordinal)
                .ToList();
            var exact = string.Equals(a.Number, term, StringComparison.OrdinalIgnoreCase)
                || own.Any(m => string.Equals(m.UnitNumber, term, StringComparison.OrdinalIgnoreCase) || string.Equals(m.Serial, term, StringComparison.OrdinalIgnoreCase))
                || tenant.Phone == term;
            var rank = (exact ? 0 : 2) + (a.Status == AccountStatus.Open ? 0 : 1);
            hits.Add((rank, new AccountHit(a.Id.Value, a.Number, a.Status, tenant.Id.Value, tenant.Name, tenant.Phone, available, warning1, a.Exhausted, own)));
        }

        return hits;
    }
}
