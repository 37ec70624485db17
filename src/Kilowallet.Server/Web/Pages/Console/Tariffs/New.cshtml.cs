using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Console.Tariffs;

/// <summary>A new plan of a site: code, name and its first version (from tomorrow at the earliest), blank or copied from another plan.</summary>
public sealed class NewModel(KilowalletDb db, TariffCatalog catalog, TimeProvider clock) : PageModel
{
    public Site Site { get; private set; } = null!;

    public DateOnly MinDate { get; private set; }

    public IReadOnlyList<TariffPlanRecord> Plans { get; private set; } = [];

    public long? CopiedFrom { get; private set; }

    /// <summary>The version the editor starts from: the copied plan's latest, or an all-day flat schedule.</summary>
    public string StartJson { get; private set; } = "null";

    public async Task<IActionResult> OnGetAsync(long? site, long? copy, CancellationToken cancellationToken)
    {
        var chosen = await db.Sites.AsNoTracking().Where(s => site == null || s.Id == new Domain.SiteId(site.Value)).OrderBy(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        if (chosen is null)
        {
            return NotFound();
        }

        Site = chosen;
        MinDate = (await catalog.CalendarAsync(chosen.Id, cancellationToken)).LocalDateOf(clock.GetUtcNow()).AddDays(1);
        Plans = await db.TariffPlans.AsNoTracking().Where(p => p.SiteId == chosen.Id).OrderBy(p => p.Code).ToListAsync(cancellationToken);
        if (copy is { } from && Plans.Any(p => p.Id == from))
        {
            CopiedFrom = from;
            StartJson = await db.TariffVersions.AsNoTracking().Where(v => v.PlanId == from).OrderByDescending(v => v.Number)
                .Select(v => v.Definition).FirstAsync(cancellationToken);
        }

        return Page();
    }
}
