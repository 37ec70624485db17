using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Tariffs;

/// <summary>
/// Changes to tariffs: new plans, new versions (never dated in the past, never editing one in
/// force), withdrawal of a future version, dated assignments and site holidays. Every change is
/// validated by the domain, audited, and makes the catalogue reload.
/// </summary>
public sealed class TariffService(IDbContextFactory<KilowalletDb> dbFactory, TariffCatalog catalog, AuditLog audit, TimeProvider clock)
{
    public async Task<TariffPlanRecord> CreatePlanAsync(SiteId site, string planJson, string actor, CancellationToken cancellationToken)
    {
        var parsed = TariffPlanJson.Parse(planJson);
        if (!parsed.Succeeded)
        {
            throw new TariffProblemException(Group(parsed.Errors.Select(e => (e.Path, e.ToString()))));
        }

        var plan = parsed.Value!;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var siteRow = await db.Sites.AsNoTracking().SingleOrDefaultAsync(s => s.Id == site, cancellationToken)
            ?? throw new TariffProblemException("siteId", $"There is no site {site}.") { NotFound = true };
        if (!string.Equals(plan.Currency, siteRow.Currency, StringComparison.Ordinal))
        {
            throw new TariffProblemException("currency", $"The site's accounts are kept in {siteRow.Currency}; the plan is in {plan.Currency}.");
        }

        if (await db.TariffPlans.AnyAsync(p => p.SiteId == site && p.Code == plan.Code, cancellationToken))
        {
            throw new TariffProblemException("code", $"Plan {plan.Code} already exists at this site; add a version to change it.");
        }

        // A new plan's versions must all start today or later at the site: a plan cannot price the past either.
        var calendar = await catalog.CalendarAsync(site, cancellationToken);
        var empty = plan with { Versions = [] };
        var built = empty;
        foreach (var version in plan.Versions)
        {
            var change = built.AddVersion(version, clock.GetUtcNow(), calendar);
            if (!change.Succeeded)
            {
                throw new TariffProblemException(Group(change.Errors.Select(e => (e.Path, e.Message))));
            }

            built = change.Plan!;
        }

        var record = new TariffPlanRecord { SiteId = site, Code = plan.Code, Name = plan.Name, Currency = plan.Currency, CreatedAt = clock.GetUtcNow() };
        db.TariffPlans.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var version in built.Versions)
        {
            db.TariffVersions.Add(ToRecord(record.Id, version, actor));
        }

        audit.Record(db, actor, "tariff.plan-created", "tariff:" + plan.Code, new { versions = built.Versions.Count });
        await db.SaveChangesAsync(cancellationToken);
        catalog.Invalidate();
        return record;
    }

    /// <summary>Stores a plan as it is, versions dated in the past included: for seeding a new installation only (no usage priced yet).</summary>
    public async Task<TariffPlanRecord> SeedPlanAsync(SiteId site, TariffPlan plan, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = plan.Validate();
        if (errors.Count > 0)
        {
            throw new TariffProblemException(Group(errors.Select(e => (e.Path, e.Message))));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = new TariffPlanRecord { SiteId = site, Code = plan.Code, Name = plan.Name, Currency = plan.Currency, CreatedAt = clock.GetUtcNow() };
        db.TariffPlans.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var version in plan.Versions)
        {
            db.TariffVersions.Add(ToRecord(record.Id, version, actor));
        }

        await db.SaveChangesAsync(cancellationToken);
        catalog.Invalidate();
        return record;
    }

    public async Task<TariffVersionRecord> AddVersionAsync(long planId, string versionJson, string actor, CancellationToken cancellationToken)
    {
        var parsed = TariffPlanJson.ParseVersion(versionJson);
        if (!parsed.Succeeded)
        {
            throw new TariffProblemException(Group(parsed.Errors.Select(e => (e.Path, e.ToString()))));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.TariffPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken)
            ?? throw new TariffProblemException("planId", $"There is no plan {planId}.") { NotFound = true };
        catalog.Invalidate();
        var plan = await catalog.PlanAsync(planId, cancellationToken) ?? throw new TariffProblemException("planId", $"There is no plan {planId}.") { NotFound = true };
        var change = plan.AddVersion(parsed.Value!, clock.GetUtcNow(), await catalog.CalendarAsync(record.SiteId, cancellationToken));
        if (!change.Succeeded)
        {
            throw new TariffProblemException(Group(change.Errors.Select(e => (e.Path, e.Message))));
        }

        var added = change.Plan!.Versions[^1];
        var row = ToRecord(planId, added, actor);
        db.TariffVersions.Add(row);
        audit.Record(db, actor, "tariff.version-added", "tariff:" + plan.Code, new { version = added.Number, effectiveFrom = added.EffectiveFrom });
        await db.SaveChangesAsync(cancellationToken);
        catalog.Invalidate();
        return row;
    }

    public async Task WithdrawLatestVersionAsync(long planId, string actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.TariffPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken)
            ?? throw new TariffProblemException("planId", $"There is no plan {planId}.") { NotFound = true };
        catalog.Invalidate();
        var plan = await catalog.PlanAsync(planId, cancellationToken) ?? throw new TariffProblemException("planId", "Unknown plan.") { NotFound = true };
        var change = plan.WithdrawLatestVersion(clock.GetUtcNow(), await catalog.CalendarAsync(record.SiteId, cancellationToken));
        if (!change.Succeeded)
        {
            throw new TariffProblemException(Group(change.Errors.Select(e => (e.Path, e.Message))));
        }

        var latest = await db.TariffVersions.Where(v => v.PlanId == planId).OrderByDescending(v => v.Number).FirstAsync(cancellationToken);
        db.TariffVersions.Remove(latest);
        audit.Record(db, actor, "tariff.version-withdrawn", "tariff:" + plan.Code, new { version = latest.Number, effectiveFrom = latest.EffectiveFrom });
        await db.SaveChangesAsync(cancellationToken);
        catalog.Invalidate();
    }

    /// <summary>
    /// Assigns a plan to an account or a meter from a local date. The date is today or later; today
    /// only when the target has no plan yet today (so no usage already priced is re-priced).
    /// </summary>
    public async Task<TariffAssignmentRecord> AssignAsync(long planId, AccountId? account, MeterId? meter, DateOnly from, string actor, CancellationToken cancellationToken, bool allowPast = false)
    {
        if ((account is null) == (meter is null))
        {
            throw new TariffProblemException("target", "Assign a plan to exactly one account or one meter.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var plan = await db.TariffPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken)
            ?? throw new TariffProblemException("planId", $"There is no plan {planId}.") { NotFound = true };
        SiteId site;
        if (account is { } a)
        {
            site = await db.Accounts.Where(x => x.Id == a).Select(x => (SiteId?)x.SiteId).SingleOrDefaultAsync(cancellationToken)
                ?? throw new TariffProblemException("accountId", $"There is no account {a}.") { NotFound = true };
        }
        else
        {
            var m = meter!.Value;
            site = await db.Meters.Where(x => x.Id == m).Select(x => (SiteId?)x.SiteId).SingleOrDefaultAsync(cancellationToken)
                ?? throw new TariffProblemException("meterId", $"There is no meter {m}.") { NotFound = true };
        }

        if (site != plan.SiteId)
        {
            throw new TariffProblemException("planId", "The plan belongs to another site.");
        }

        var calendar = await catalog.CalendarAsync(site, cancellationToken);
        var today = calendar.LocalDateOf(clock.GetUtcNow());
        var existing = await db.TariffAssignments
            .Where(x => account != null ? x.AccountId == account : x.MeterId == meter)
            .ToListAsync(cancellationToken);
        if (!allowPast && (from < today || (from == today && existing.Any(x => x.From <= today && (x.Until is null || x.Until > today)))))
        {
            throw new TariffProblemException("from", $"{from:yyyy-MM-dd} would re-price energy already used (today is {today:yyyy-MM-dd} at the site); assign from tomorrow, or re-rate explicitly.");
        }

        if (existing.Any(x => x.From == from))
        {
            throw new TariffProblemException("from", $"There is already an assignment starting {from:yyyy-MM-dd}.");
        }

        var row = new TariffAssignmentRecord { PlanId = planId, AccountId = account, MeterId = meter, From = from, CreatedAt = clock.GetUtcNow(), CreatedBy = actor };
        db.TariffAssignments.Add(row);
        audit.Record(db, actor, "tariff.assigned", account is { } acc ? "account:" + acc.Value : "meter:" + meter!.Value.Value, new { plan = plan.Code, from });
        await db.SaveChangesAsync(cancellationToken);
        catalog.Invalidate();
        return row;
    }

    public async Task SetHolidaysAsync(SiteId site, IReadOnlyList<SiteHoliday> holidays, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var calendar = await catalog.CalendarAsync(site, cancellationToken);
        var today = calendar.LocalDateOf(clock.GetUtcNow());
        var existing = await db.SiteHolidays.Where(h => h.SiteId == site).ToListAsync(cancellationToken);
        var changedPast = existing.Where(h => h.Date <= today).Select(h => (h.Date, h.WorkingDay))
            .ToHashSet()
            .SetEquals(holidays.Where(h => h.Date <= today).Select(h => (h.Date, h.WorkingDay)));
        if (!changedPast)
        {
            throw new TariffProblemException("holidays", "Days up to today have been priced already; only future days can change.");
        }

        db.SiteHolidays.RemoveRange(existing.Where(h => h.Date > today));
        foreach (var holiday in holidays.Where(h => h.Date > today))
        {
            db.SiteHolidays.Add(new SiteHoliday { SiteId = site, Date = holiday.Date, Name = holiday.Name, WorkingDay = holiday.WorkingDay });
        }

        audit.Record(db, actor, "site.holidays", "site:" + site.Value, new { count = holidays.Count });
        await db.SaveChangesAsync(cancellationToken);
        catalog.Invalidate();
    }

    private TariffVersionRecord ToRecord(long planId, TariffVersion version, string actor) => new()
    {
        PlanId = planId,
        Number = version.Number,
        EffectiveFrom = version.EffectiveFrom,
        Definition = TariffPlanJson.SerializeVersion(version),
        CreatedAt = clock.GetUtcNow(),
        CreatedBy = actor,
    };

    private static Dictionary<string, string[]> Group(IEnumerable<(string Path, string Message)> errors) =>
        errors.GroupBy(e => e.Path.Length == 0 ? "plan" : e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
}
