using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Console.Tariffs;

/// <summary>The plans of a site with the version in force and the meters each prices today; the site's holidays.</summary>
public sealed class IndexModel(KilowalletDb db, TariffCatalog catalog, TimeProvider clock) : PageModel
{
    public sealed record PlanRow(long Id, string Code, string Name, string Currency, int Versions, int? CurrentNumber, DateOnly? CurrentFrom, DateOnly? NextFrom, int Meters);

    public IReadOnlyList<Site> Sites { get; private set; } = [];

    public Site? Site { get; private set; }

    public DateOnly Today { get; private set; }

    public IReadOnlyList<PlanRow> Plans { get; private set; } = [];

    public IReadOnlyList<SiteHoliday> Holidays { get; private set; } = [];

    public async Task OnGetAsync(long? site, CancellationToken cancellationToken)
    {
        Sites = await db.Sites.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken);
        Site = Sites.FirstOrDefault(s => s.Id.Value == site) ?? (Sites.Count > 0 ? Sites[0] : null);
        if (Site is null)
        {
            return;
        }

        var calendar = await catalog.CalendarAsync(Site.Id, cancellationToken);
        Today = calendar.LocalDateOf(clock.GetUtcNow());
        var siteId = Site.Id;
        var plans = await db.TariffPlans.AsNoTracking().Where(p => p.SiteId == siteId).OrderBy(p => p.Code).ToListAsync(cancellationToken);
        var planIds = plans.Select(p => p.Id).ToList();
        var versions = (await db.TariffVersions.AsNoTracking().Where(v => planIds.Contains(v.PlanId))
            .Select(v => new { v.PlanId, v.Number, v.EffectiveFrom }).ToListAsync(cancellationToken)).ToLookup(v => v.PlanId);
        var counts = await TariffUsage.MeterCountsAsync(db, siteId, Today, cancellationToken);
        var today = Today;
        Plans = [.. plans.Select(p =>
        {
            var own = versions[p.Id].OrderBy(v => v.Number).ToList();
            var current = own.LastOrDefault(v => v.EffectiveFrom <= today);
            var next = own.FirstOrDefault(v => v.EffectiveFrom > today);
            return new PlanRow(p.Id, p.Code, p.Name, p.Currency, own.Count, current?.Number, current?.EffectiveFrom, next?.EffectiveFrom, counts.GetValueOrDefault(p.Id));
        })];
        Holidays = await db.SiteHolidays.AsNoTracking().Where(h => h.SiteId == siteId).OrderBy(h => h.Date).ToListAsync(cancellationToken);
    }
}
