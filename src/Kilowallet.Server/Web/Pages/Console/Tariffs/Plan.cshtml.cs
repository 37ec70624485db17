using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Console.Tariffs;

/// <summary>
/// One plan: its versions as 24-hour band charts, the version history, the form of a new (future)
/// version, withdrawal of a scheduled version, and its assignments to meters and accounts.
/// </summary>
public sealed class PlanModel(KilowalletDb db, TariffCatalog catalog, TimeProvider clock) : PageModel
{
    /// <summary>Assignments and search results shown at most (the counts are exact).</summary>
    public const int MaxRows = 200;

    public enum VersionState
    {
        Superseded,
        InForce,
        Scheduled,
    }

    public sealed record VersionRow(TariffVersionRecord Record, TariffVersion Definition, VersionState State);

    public sealed record AssignmentRow(long Id, bool IsMeter, long TargetId, string Target, string? Shop, DateOnly From, DateOnly? Until, string CreatedBy, bool InForce);

    public sealed record MeterCandidate(long Id, string Serial, string? Unit, string? ShopName, string? CurrentPlan);

    public sealed record AccountCandidate(long Id, string Number, string TenantName, int Meters, string? CurrentPlan);

    public TariffPlanRecord Plan { get; private set; } = null!;

    public Site Site { get; private set; } = null!;

    public DateOnly Today { get; private set; }

    public DateOnly MinNewDate { get; private set; }

    public IReadOnlyList<VersionRow> Versions { get; private set; } = [];

    public VersionRow? Selected { get; private set; }

    /// <summary>The latest version in the plan file format, to start a new version from.</summary>
    public string LatestJson { get; private set; } = "{}";

    public int MeterCount { get; private set; }

    public IReadOnlyList<AssignmentRow> Assignments { get; private set; } = [];

    public int AssignmentTotal { get; private set; }

    public string? Find { get; private set; }

    public IReadOnlyList<MeterCandidate> MeterCandidates { get; private set; } = [];

    public IReadOnlyList<AccountCandidate> AccountCandidates { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, int? version, string? find, CancellationToken cancellationToken)
    {
        var plan = await db.TariffPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (plan is null)
        {
            return NotFound();
        }

        Plan = plan;
        Site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == plan.SiteId, cancellationToken);
        var calendar = await catalog.CalendarAsync(plan.SiteId, cancellationToken);
        var now = clock.GetUtcNow();
        Today = calendar.LocalDateOf(now);
        var records = await db.TariffVersions.AsNoTracking().Where(v => v.PlanId == id).OrderBy(v => v.Number).ToListAsync(cancellationToken);
        var today = Today;
        var current = records.FindLast(r => r.EffectiveFrom <= today);
        Versions = [.. records.Select(r => new VersionRow(
            r,
            TariffPlanJson.ParseVersion(r.Definition).Value ?? throw new InvalidOperationException($"Version {r.Number} of plan {plan.Code} does not parse."),
            r.EffectiveFrom > Today ? VersionState.Scheduled : r == current ? VersionState.InForce : VersionState.Superseded))];
        Selected = Versions.FirstOrDefault(v => v.Record.Number == version)
            ?? Versions.FirstOrDefault(v => v.State == VersionState.InForce)
            ?? (Versions.Count > 0 ? Versions[^1] : null);
        var latest = records.Count > 0 ? records[^1] : null;
        LatestJson = latest?.Definition ?? "{}";
        var tomorrow = Today.AddDays(1);
        MinNewDate = latest is not null && latest.EffectiveFrom >= tomorrow ? latest.EffectiveFrom.AddDays(1) : tomorrow;

        var meterPlans = await TariffUsage.PlanOfMetersAsync(db, plan.SiteId, Today, cancellationToken);
        MeterCount = meterPlans.Values.Count(p => p == id);
        await LoadAssignmentsAsync(id, cancellationToken);
        if (!string.IsNullOrWhiteSpace(find))
        {
            Find = find.Trim();
            await FindTargetsAsync(plan.SiteId, Find, meterPlans, cancellationToken);
        }

        return Page();
    }

    private async Task LoadAssignmentsAsync(long planId, CancellationToken cancellationToken)
    {
        var query = db.TariffAssignments.AsNoTracking().Where(a => a.PlanId == planId);
        AssignmentTotal = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(a => a.From).ThenBy(a => a.Id).Take(MaxRows).ToListAsync(cancellationToken);
        var meterIds = rows.Where(a => a.MeterId is not null).Select(a => a.MeterId!.Value).ToList();
        var accountIds = rows.Where(a => a.AccountId is not null).Select(a => a.AccountId!.Value).ToList();
        var meters = await (from m in db.Meters.AsNoTracking()
                            where meterIds.Contains(m.Id)
                            join s in db.Shops on m.ShopId equals s.Id into shops
                            from s in shops.DefaultIfEmpty()
                            select new { m.Id, m.Serial, Unit = s == null ? null : s.UnitNumber, ShopName = s == null ? null : s.Name })
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        var accounts = await (from a in db.Accounts.AsNoTracking()
                              where accountIds.Contains(a.Id)
                              join t in db.Tenants on a.TenantId equals t.Id
                              select new { a.Id, a.Number, TenantName = t.Name })
            .ToDictionaryAsync(a => a.Id, cancellationToken);

        // An assignment is in force today when it is the latest one of its target started by today and not yet ended.
        var meterKeys = meterIds.ConvertAll(m => (MeterId?)m);
        var accountKeys = accountIds.ConvertAll(a => (AccountId?)a);
        var today = Today;
        var started = await db.TariffAssignments.AsNoTracking()
            .Where(a => a.From <= today && (meterKeys.Contains(a.MeterId) || accountKeys.Contains(a.AccountId)))
            .Select(a => new { a.Id, a.MeterId, a.AccountId, a.From, a.Until })
            .ToListAsync(cancellationToken);
        var inForce = started.GroupBy(a => (a.MeterId, a.AccountId))
            .Select(g => g.MaxBy(a => a.From)!)
            .Where(a => a.Until is null || a.Until > today)
            .Select(a => a.Id)
            .ToHashSet();
        Assignments = [.. rows.Select(a => a.MeterId is { } m
            ? new AssignmentRow(a.Id, true, m.Value, meters.TryGetValue(m, out var meter) ? meter.Serial : m.ToString(), meter is null ? null : Join(meter.Unit, meter.ShopName), a.From, a.Until, a.CreatedBy, inForce.Contains(a.Id))
            : new AssignmentRow(a.Id, false, a.AccountId!.Value.Value, accounts.TryGetValue(a.AccountId!.Value, out var account) ? account.Number : a.AccountId.Value.ToString(), account?.TenantName, a.From, a.Until, a.CreatedBy, inForce.Contains(a.Id)))];
    }

    private async Task FindTargetsAsync(SiteId site, string term, IReadOnlyDictionary<MeterId, long> meterPlans, CancellationToken cancellationToken)
    {
        // A site has thousands of meters at most: matched here, case-insensitively the same way on every database.
        bool Matches(string? text) => text is not null && text.Contains(term, StringComparison.OrdinalIgnoreCase);
        var codes = await db.TariffPlans.AsNoTracking().Where(p => p.SiteId == site).ToDictionaryAsync(p => p.Id, p => p.Code, cancellationToken);
        var meters = await (from m in db.Meters.AsNoTracking()
                            where m.SiteId == site && m.Status != MeterStatus.Decommissioned
                            join s in db.Shops on m.ShopId equals s.Id into shops
                            from s in shops.DefaultIfEmpty()
                            select new { m.Id, m.Serial, m.AccountId, Unit = s == null ? null : s.UnitNumber, ShopName = s == null ? null : s.Name })
            .ToListAsync(cancellationToken);
        MeterCandidates = [.. meters.Where(m => Matches(m.Serial) || Matches(m.Unit) || Matches(m.ShopName))
            .OrderBy(m => m.Unit ?? string.Empty, StringComparer.Ordinal).ThenBy(m => m.Serial, StringComparer.Ordinal)
            .Take(MaxRows)
            .Select(m => new MeterCandidate(m.Id.Value, m.Serial, m.Unit, m.ShopName, meterPlans.TryGetValue(m.Id, out var p) ? codes.GetValueOrDefault(p) : null))];

        var accountPlans = await TariffUsage.PlanOfAccountsAsync(db, site, Today, cancellationToken);
        var meterCounts = meters.Where(m => m.AccountId is not null).GroupBy(m => m.AccountId!.Value).ToDictionary(g => g.Key, g => g.Count());
        var accounts = await (from a in db.Accounts.AsNoTracking()
                              where a.SiteId == site
                              join t in db.Tenants on a.TenantId equals t.Id
                              select new { a.Id, a.Number, TenantName = t.Name })
            .ToListAsync(cancellationToken);
        AccountCandidates = [.. accounts.Where(a => Matches(a.Number) || Matches(a.TenantName))
            .OrderBy(a => a.Number, StringComparer.Ordinal)
            .Take(MaxRows)
            .Select(a => new AccountCandidate(a.Id.Value, a.Number, a.TenantName, meterCounts.GetValueOrDefault(a.Id), accountPlans.TryGetValue(a.Id, out var p) ? codes.GetValueOrDefault(p) : null))];
    }

    private static string? Join(string? unit, string? name) =>
        unit is null ? name : name is null ? unit : unit + " · " + name;
}
