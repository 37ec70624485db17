using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Api;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Overview;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tenants;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Console.Accounts;

/// <summary>One account: balance, thresholds, meters, tariff plan, ledger history, refunds, adjustments, transfers, closing.</summary>
public sealed class DetailModel(KilowalletDb db, LiveStateStore live, Text text) : PageModel
{
    public sealed record MeterRow(long Id, string Serial, string? UnitNumber, string? ShopName, SupplyState State, RelayReport Relay, double? PowerKw);

    public sealed record Choice(long Id, string Label);

    public sealed record PlanRow(string Code, string Name, DateOnly From, DateOnly? Until);

    public Account Account { get; private set; } = null!;

    public Tenant Tenant { get; private set; } = null!;

    public AccountBalance Balance { get; private set; }

    public IReadOnlyList<MeterRow> Meters { get; private set; } = [];

    public IReadOnlyList<Choice> AssignableMeters { get; private set; } = [];

    public IReadOnlyList<Choice> OtherAccounts { get; private set; } = [];

    public IReadOnlyList<Choice> Plans { get; private set; } = [];

    public IReadOnlyList<PlanRow> PlanHistory { get; private set; } = [];

    public IReadOnlyList<LedgerEntry> Ledger { get; private set; } = [];

    public int LedgerTotal { get; private set; }

    public int LedgerOffset { get; private set; }

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public string ScriptTexts => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["done"] = text["Saved"],
        ["closeConfirm"] = text["CloseAccountConfirm"],
        ["unassignConfirm"] = text["UnassignConfirm"],
        ["rerateCharged"] = text["RerateCharged"],
        ["rerateNew"] = text["RerateNew"],
        ["rerateAdjustment"] = text["RerateAdjustment"],
    });

    public decimal Amount(long minor) => Money.FromMinorUnits(minor).Amount;

    public async Task<IActionResult> OnGetAsync(long accountId, int? offset, CancellationToken cancellationToken)
    {
        var id = new AccountId(accountId);
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        Account = account;
        Tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == account.TenantId, cancellationToken);
        var wallet = await db.LedgerAccounts.AsNoTracking().Where(l => l.AccountId == id).Select(l => (long?)l.BalanceMinor).FirstOrDefaultAsync(cancellationToken) ?? 0;
        Balance = new AccountBalance(Money.FromMinorUnits(wallet), MoneyPrecision.FromPicoUnits(account.AccruedPico + account.CarryPico));
        var available = Money.FromMinorUnits(Balance.AvailableMinor).Amount;
        var warning1 = Money.FromMinorUnits(account.Warning1Minor).Amount;

        var meters = await (from m in db.Meters.AsNoTracking()
                            where m.SiteId == account.SiteId && m.Status != MeterStatus.Decommissioned
                            join s in db.Shops on m.ShopId equals (ShopId?)s.Id into shops
                            from shop in shops.DefaultIfEmpty()
                            orderby m.Serial
                            select new { m.Id, m.Serial, m.AccountId, m.Purpose, Unit = shop == null ? null : shop.UnitNumber, Shop = shop == null ? null : shop.Name })
                           .ToListAsync(cancellationToken);
        Meters = [.. meters.Where(m => m.AccountId == id).Select(m =>
        {
            var state = live.Get(m.Id);
            return new MeterRow(m.Id.Value, m.Serial, m.Unit, m.Shop, MallStatus.Classify(state, 0, null, available, warning1), state.Relay, state.Live.PowerKw);
        })];
        AssignableMeters = [.. meters.Where(m => m.AccountId != id && m.Purpose == MeterPurpose.Tenant)
            .Select(m => new Choice(m.Id.Value, $"{m.Unit ?? m.Serial} {m.Shop} ({m.Serial}){(m.AccountId is null ? string.Empty : " · " + text["Reassign"])}"))];
        OtherAccounts = await (from a in db.Accounts.AsNoTracking()
                               where a.SiteId == account.SiteId && a.Id != id && a.Status == AccountStatus.Open
                               join t in db.Tenants on a.TenantId equals t.Id
                               orderby a.Number
                               select new Choice(a.Id.Value, a.Number + " · " + t.Name)).ToListAsync(cancellationToken);
        Plans = await db.TariffPlans.AsNoTracking().Where(p => p.SiteId == account.SiteId).OrderBy(p => p.Code)
            .Select(p => new Choice(p.Id, p.Code + " · " + p.Name)).ToListAsync(cancellationToken);
        PlanHistory = await (from a in db.TariffAssignments.AsNoTracking()
                             where a.AccountId == (AccountId?)id
                             join p in db.TariffPlans on a.PlanId equals p.Id
                             orderby a.From descending
                             select new PlanRow(p.Code, p.Name, a.From, a.Until)).ToListAsync(cancellationToken);

        var paging = Paging.From(offset, 50);
        LedgerOffset = paging.Offset;
        var entries = db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == (AccountId?)id);
        LedgerTotal = await entries.CountAsync(cancellationToken);
        Ledger = await entries.OrderByDescending(e => e.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        Zone = await Sites.SiteZones.FirstAsync(db, cancellationToken);
        return Page();
    }
}
