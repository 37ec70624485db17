using Kilowallet.Domain;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Tariffs;

/// <summary>
/// Which plan prices each meter of a site on a local date: the meter's own assignment in force that
/// day, else its account's (the rule of <see cref="Domain.Tariffs.TariffTimeline"/>). An assignment
/// lasts until the next one at the same level, or until its end date.
/// </summary>
public static class TariffUsage
{
    /// <summary>The plan id of every meter (not decommissioned) of <paramref name="site"/> that has a plan on <paramref name="date"/>.</summary>
    public static async Task<IReadOnlyDictionary<MeterId, long>> PlanOfMetersAsync(KilowalletDb db, SiteId site, DateOnly date, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var meters = await db.Meters.AsNoTracking()
            .Where(m => m.SiteId == site && m.Status != MeterStatus.Decommissioned)
            .Select(m => new { m.Id, m.AccountId })
            .ToListAsync(cancellationToken);
        var assignments = await (from a in db.TariffAssignments.AsNoTracking()
                                 join p in db.TariffPlans on a.PlanId equals p.Id
                                 where p.SiteId == site && a.From <= date
                                 select a).ToListAsync(cancellationToken);
        var byMeter = InForce(assignments.Where(a => a.MeterId is not null).GroupBy(a => a.MeterId!.Value), date);
        var byAccount = InForce(assignments.Where(a => a.AccountId is not null).GroupBy(a => a.AccountId!.Value), date);
        var result = new Dictionary<MeterId, long>();
        foreach (var meter in meters)
        {
            if (byMeter.TryGetValue(meter.Id, out var own))
            {
                result[meter.Id] = own;
            }
            else if (meter.AccountId is { } account && byAccount.TryGetValue(account, out var plan))
            {
                result[meter.Id] = plan;
            }
        }

        return result;
    }

    /// <summary>The plan id of every account of <paramref name="site"/> with an account-level plan on <paramref name="date"/>.</summary>
    public static async Task<IReadOnlyDictionary<AccountId, long>> PlanOfAccountsAsync(KilowalletDb db, SiteId site, DateOnly date, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var assignments = await (from a in db.TariffAssignments.AsNoTracking()
                                 join p in db.TariffPlans on a.PlanId equals p.Id
                                 where p.SiteId == site && a.From <= date && a.AccountId != null
                                 select a).ToListAsync(cancellationToken);
        return InForce(assignments.GroupBy(a => a.AccountId!.Value), date);
    }

    /// <summary>How many meters each plan of <paramref name="site"/> prices on <paramref name="date"/>.</summary>
    public static async Task<IReadOnlyDictionary<long, int>> MeterCountsAsync(KilowalletDb db, SiteId site, DateOnly date, CancellationToken cancellationToken) =>
        (await PlanOfMetersAsync(db, site, date, cancellationToken)).GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Count());

    private static Dictionary<TKey, long> InForce<TKey>(IEnumerable<IGrouping<TKey, TariffAssignmentRecord>> groups, DateOnly date)
        where TKey : notnull
    {
        var result = new Dictionary<TKey, long>();
        foreach (var group in groups)
        {
            // The latest assignment started by the date is the one in force, unless it has already ended.
            var latest = group.MaxBy(a => a.From)!;
            if (latest.Until is not { } until || until > date)
            {
                result[group.Key] = latest.PlanId;
            }
        }

        return result;
    }
}
