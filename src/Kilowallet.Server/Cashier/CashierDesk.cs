using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Overview;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Cashier;

/// <summary>
/// What the till needs besides the top-up itself: one search box that finds an account by shop
/// number, shop or tenant name, phone, meter serial or account number, and the shift report.
/// </summary>
public sealed class CashierDesk(KilowalletDb db, LiveStateStore live)
{
    public const int MaxHits = 20;

    public sealed record MeterHit(long Id, string Serial, string? UnitNumber, string? ShopName, SupplyState State);

    public sealed record AccountHit(
        long AccountId, string Number, AccountStatus Status, long TenantId, string TenantName, string? Phone,
        decimal Available, decimal Warning1, bool Exhausted, IReadOnlyList<MeterHit> Meters);

    public sealed record MethodTotal(string Method, int TopUps, decimal Collected, int Reversals, decimal Reversed, decimal Net);

    public sealed record ShiftLine(
        long EntryId, DateTimeOffset At, PostingKind Kind, long? AccountId, string? AccountNumber, string? TenantName,
        string? Method, string? Reference, decimal Amount, long? ReversesEntryId, bool Reversed);

    public sealed record ShiftReport(
        long Id, string Cashier, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt,
        int TopUps, decimal Collected, int Reversals, decimal Reversed, decimal Net,
        IReadOnlyList<MethodTotal> ByMethod, IReadOnlyList<ShiftLine> Lines);

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

        return [.. hits.OrderBy(h => h.Rank).ThenBy(h => h.Hit.Number, StringComparer.Ordinal).Take(MaxHits).Select(h => h.Hit)];
    }

    /// <summary>The cashier's open shift, if any.</summary>
    public async Task<long?> OpenShiftOfAsync(string cashier, CancellationToken cancellationToken) =>
        await db.CashierShifts.AsNoTracking().Where(s => s.Cashier == cashier && s.ClosedAt == null).Select(s => (long?)s.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Everything taken at the till during a shift: top-ups and their reversals, totals by method, net to hand over.</summary>
    public async Task<ShiftReport?> ReportAsync(long shiftId, CancellationToken cancellationToken)
    {
        var shift = await db.CashierShifts.AsNoTracking().SingleOrDefaultAsync(s => s.Id == shiftId, cancellationToken);
        if (shift is null)
        {
            return null;
        }

        var rows = await (from e in db.LedgerEntries.AsNoTracking()
                          where e.ShiftId == shiftId
                          join a in db.Accounts on e.AccountId equals (AccountId?)a.Id into accounts
                          from account in accounts.DefaultIfEmpty()
                          join t in db.Tenants on account.TenantId equals t.Id into tenants
                          from tenant in tenants.DefaultIfEmpty()
                          orderby e.Id
                          select new { Entry = e, Number = account == null ? null : account.Number, Tenant = tenant == null ? null : tenant.Name })
                         .ToListAsync(cancellationToken);
        var reversed = rows.Where(r => r.Entry.ReversesEntryId is not null).Select(r => r.Entry.ReversesEntryId!.Value).ToHashSet();
        var lines = rows.ConvertAll(r => new ShiftLine(
            r.Entry.Id, r.Entry.At, r.Entry.Kind, r.Entry.AccountId?.Value, r.Number, r.Tenant, r.Entry.Channel, r.Entry.Reference,
            Money.FromMinorUnits(r.Entry.WalletAmountMinor).Amount, r.Entry.ReversesEntryId, reversed.Contains(r.Entry.Id)));
        var byMethod = lines.GroupBy(l => l.Method ?? "?", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var topUps = g.Where(l => l.Kind == PostingKind.TopUp).ToList();
                var reversals = g.Where(l => l.Kind == PostingKind.Reversal).ToList();
                var collected = topUps.Sum(l => l.Amount);
                var returned = -reversals.Sum(l => l.Amount);
                return new MethodTotal(g.Key, topUps.Count, collected, reversals.Count, returned, collected - returned);
            })
            .ToList();
        return new ShiftReport(
            shift.Id, shift.Cashier, shift.OpenedAt, shift.ClosedAt,
            byMethod.Sum(m => m.TopUps), byMethod.Sum(m => m.Collected), byMethod.Sum(m => m.Reversals), byMethod.Sum(m => m.Reversed), byMethod.Sum(m => m.Net),
            byMethod, lines);
    }
}
