using Kilowallet.Domain;
using Kilowallet.Domain.Safety;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Overview;

/// <summary>
/// The whole mall at a glance: every meter with its shop, floor, tenant, available balance, relay,
/// link and open alarms, classified by what most needs attention. One query for the stored facts
/// (meters, shops, accounts, wallets, alarms) plus the in-memory live state.
/// </summary>
public sealed class MallStatus(KilowalletDb db, LiveStateStore live)
{
    public async Task<IReadOnlyList<SupplyPoint>> ListAsync(SiteId site, CancellationToken cancellationToken)
    {
        var rows = await (from m in db.Meters.AsNoTracking()
                          where m.SiteId == site && m.Status != MeterStatus.Decommissioned
                          join s in db.Shops on m.ShopId equals (ShopId?)s.Id into shops
                          from shop in shops.DefaultIfEmpty()
                          join ar in db.Areas on shop.AreaId equals ar.Id into areas
                          from area in areas.DefaultIfEmpty()
                          join a in db.Accounts on m.AccountId equals (AccountId?)a.Id into accounts
                          from account in accounts.DefaultIfEmpty()
                          join t in db.Tenants on account.TenantId equals t.Id into tenants
                          from tenant in tenants.DefaultIfEmpty()
                          join w in db.LedgerAccounts on m.AccountId equals w.AccountId into wallets
                          from wallet in wallets.DefaultIfEmpty()
                          select new
                          {
                              m.Id, m.Serial, m.Purpose, m.ShopId,
                              Unit = shop == null ? m.Serial : shop.UnitNumber,
                              ShopName = shop == null ? m.Serial : shop.Name,
                              Format = shop == null ? BusinessFormat.Other : shop.BusinessFormat,
                              AreaId = area == null ? (AreaId?)null : area.Id,
                              AreaCode = area == null ? string.Empty : area.Code,
                              Floor = area == null ? 0 : area.Floor,
                              m.AccountId,
                              AccountNumber = account == null ? null : account.Number,
                              TenantName = tenant == null ? null : tenant.Name,
                              Phone = tenant == null ? null : tenant.Phone,
                              WalletMinor = wallet == null ? (long?)null : wallet.BalanceMinor,
                              Unposted = account == null ? 0 : account.AccruedPico + account.CarryPico,
                              Warning1 = account == null ? (long?)null : account.Warning1Minor,
                              Exhausted = account != null && account.Exhausted,
                          }).ToListAsync(cancellationToken);
        var alarms = await db.Alarms.AsNoTracking()
            .Where(a => a.ClearedAt == null)
            .GroupBy(a => new { a.SourceKind, a.SourceId })
            .Select(g => new { g.Key.SourceKind, g.Key.SourceId, Count = g.Count(), Worst = g.Max(a => a.Severity) })
            .ToListAsync(cancellationToken);
        var meterAlarms = alarms.Where(a => a.SourceKind == AlarmSourceKind.Meter).ToDictionary(a => a.SourceId);
        var points = new List<SupplyPoint>(rows.Count);
        foreach (var r in rows)
        {
            var state = live.Get(r.Id);
            decimal? available = r.AccountId is null ? null
                : Accounts.AccountBalance.AvailableOf(r.WalletMinor ?? 0, r.Unposted);
            meterAlarms.TryGetValue(r.Id.Value, out var alarm);
            var classified = Classify(state, alarm?.Count ?? 0, alarm?.Worst, available, r.Warning1 is { } w ? Money.FromMinorUnits(w).Amount : null);
            points.Add(new SupplyPoint(
                r.Id, r.Serial, r.ShopId, r.Unit, r.ShopName, r.Format, r.AreaId, r.AreaCode, r.Floor, r.AccountId, r.AccountNumber, r.TenantName, r.Phone,
                available, r.Warning1 is { } w1 ? Money.FromMinorUnits(w1).Amount : null, r.Exhausted, r.Purpose, state.Relay, state.Link,
                state.Live.PowerKw, state.At, alarm?.Count ?? 0, alarm?.Worst, classified));
        }

        return points;
    }

    /// <summary>Whether a supply point answers to a search: shop number or name, meter serial, tenant, phone or account number.</summary>
    public static bool Matches(SupplyPoint p, string term)
    {
        ArgumentNullException.ThrowIfNull(p);
        return p.UnitNumber.Contains(term, StringComparison.OrdinalIgnoreCase) || p.ShopName.Contains(term, StringComparison.OrdinalIgnoreCase)
            || p.Serial.Contains(term, StringComparison.OrdinalIgnoreCase) || (p.TenantName?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false)
            || (p.Phone?.Contains(term, StringComparison.Ordinal) ?? false) || (p.AccountNumber?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false);
    }

    /// <summary>What most needs attention: a critical or warning alarm, then offline, tripped, low credit.</summary>
    public static SupplyState Classify(MeterLiveState state, int alarms, AlarmSeverity? worst, decimal? available, decimal? warning1)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (alarms > 0 && worst >= AlarmSeverity.Warning)
        {
            return SupplyState.Alarm;
        }

        if (state.Link == LinkStatus.Offline)
        {
            return SupplyState.Offline;
        }

        if (state.Relay == RelayReport.Open)
        {
            return SupplyState.Tripped;
        }

        if (available is { } money && warning1 is { } low && money <= low)
        {
            return SupplyState.Low;
        }

        return state.At is null ? SupplyState.NoData : SupplyState.Ok;
    }
}
