using System.Collections.Concurrent;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Tariffs;

/// <summary>
/// The tariffs in force, as domain objects ready to rate: plans with their versions, plan
/// assignments and each site's calendar, read together and kept as one immutable snapshot. A local
/// change replaces the snapshot at once; other nodes see it within <see cref="MaxAge"/> (plans and
/// assignments only ever take effect from a future local midnight, so that delay never prices a kWh
/// differently).
/// </summary>
public sealed class TariffCatalog(IDbContextFactory<KilowalletDb> dbFactory, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private Snapshot? _snapshot;

    public void Dispose() => _loading.Dispose();

    /// <summary>Forgets the snapshot; the next caller loads a fresh one.</summary>
    public void Invalidate() => _snapshot = null;

    /// <summary>The rater for a meter paid by <paramref name="account"/> (or none), or null when no plan applies to it.</summary>
    public async Task<TariffRater?> RaterForAsync(SiteId site, MeterId meter, AccountId? account, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        return snapshot.Raters.GetOrAdd((meter, account), key => snapshot.BuildRater(site, key.Meter, key.Account));
    }

    /// <summary>The account's own plan timeline (account-level assignments only), for fixed charges; null when it has none.</summary>
    public async Task<TariffTimeline?> AccountTimelineAsync(AccountId account, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).AccountTimeline(account);

    public async Task<SiteCalendar> CalendarAsync(SiteId site, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).Calendar(site);

    /// <summary>The plan with all its versions, by id; null when unknown.</summary>
    public async Task<TariffPlan?> PlanAsync(long planId, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).Plans.TryGetValue(planId, out var plan) ? plan.Plan : null;

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && clock.GetUtcNow() - snapshot.LoadedAt < MaxAge)
        {
            return snapshot;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            if (snapshot is not null && clock.GetUtcNow() - snapshot.LoadedAt < MaxAge)
            {
                return snapshot;
            }

            snapshot = await LoadAsync(cancellationToken);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var loadedAt = clock.GetUtcNow();
        var plans = await db.TariffPlans.AsNoTracking().ToListAsync(cancellationToken);
        var versions = (await db.TariffVersions.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(v => v.PlanId);
        var planObjects = new Dictionary<long, LoadedPlan>();
        foreach (var plan in plans)
        {
            var parsed = versions[plan.Id].OrderBy(v => v.Number).Select(v => TariffPlanJson.ParseVersion(v.Definition)).ToList();
            var bad = parsed.FirstOrDefault(p => !p.Succeeded);
            if (bad is not null)
            {
                throw new InvalidOperationException($"Tariff plan {plan.Code} has a stored version that no longer parses: {string.Join("; ", bad.Errors)}");
            }

            planObjects[plan.Id] = new LoadedPlan(plan.SiteId, new TariffPlan(plan.Code, plan.Name, plan.Currency, [.. parsed.Select(p => p.Value!)]));
        }

        var assignments = await db.TariffAssignments.AsNoTracking().ToListAsync(cancellationToken);
        var holidays = (await db.SiteHolidays.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(h => h.SiteId);
        var calendars = (await db.Sites.AsNoTracking().Select(s => new { s.Id, s.TimeZone }).ToListAsync(cancellationToken))
            .ToDictionary(
                s => s.Id,
                s => SiteCalendar.For(
                    s.TimeZone,
                    holidays[s.Id].Where(h => !h.WorkingDay).Select(h => h.Date),
                    holidays[s.Id].Where(h => h.WorkingDay).Select(h => h.Date)));
        return new Snapshot(loadedAt, planObjects, assignments, calendars);
    }

    private sealed record LoadedPlan(SiteId Site, TariffPlan Plan);

    private sealed class Snapshot(
        DateTimeOffset loadedAt,
        Dictionary<long, LoadedPlan> plans,
        List<TariffAssignmentRecord> assignments,
        Dictionary<SiteId, SiteCalendar> calendars)
    {
        private readonly ILookup<AccountId, TariffAssignmentRecord> _byAccount = assignments.Where(a => a.AccountId is not null).ToLookup(a => a.AccountId!.Value);
        private readonly ILookup<MeterId, TariffAssignmentRecord> _byMeter = assignments.Where(a => a.MeterId is not null).ToLookup(a => a.MeterId!.Value);

        /// <summary>Each plan of this snapshot compiled once, for the raters of all its meters.</summary>
        private readonly CompiledPlans _compiled = new();

        public DateTimeOffset LoadedAt { get; } = loadedAt;

        public Dictionary<long, LoadedPlan> Plans { get; } = plans;

        public ConcurrentDictionary<(MeterId Meter, AccountId? Account), TariffRater?> Raters { get; } = new();

        public SiteCalendar Calendar(SiteId site) =>
            calendars.TryGetValue(site, out var calendar) ? calendar : throw new InvalidOperationException($"Site {site} does not exist.");

        public TariffRater? BuildRater(SiteId site, MeterId meter, AccountId? account)
        {
            var accountLevel = account is { } a ? _byAccount[a].Select(ToDomain).ToList() : [];
            var meterLevel = _byMeter[meter].Select(ToDomain).ToList();
            if (accountLevel.Count == 0 && meterLevel.Count == 0)
            {
                return null;
            }

            return new TariffRater(TariffTimeline.Resolve(accountLevel, meterLevel, _compiled), Calendar(site));
        }

        public TariffTimeline? AccountTimeline(AccountId account)
        {
            var assignments = _byAccount[account].Select(ToDomain).ToList();
            return assignments.Count == 0 ? null : TariffTimeline.Resolve(assignments, null, _compiled);
        }

        private PlanAssignment ToDomain(TariffAssignmentRecord record) => new(Plans[record.PlanId].Plan, record.From, record.Until);
    }
}
