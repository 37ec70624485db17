using Kilowallet.Server.Overview;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Console;

/// <summary>The mall at a glance: floors and shops coloured by state, counters, filter and search, live.</summary>
public sealed class IndexModel(KilowalletDb db, MallStatus status) : PageModel
{
    public long SiteId { get; private set; }

    public string SiteName { get; private set; } = string.Empty;

    public OverviewEndpoints.Counters Counters { get; private set; } = new(0, 0, 0, 0, 0, 0, 0);

    public IReadOnlyList<IGrouping<string, SupplyPoint>> Floors { get; private set; } = [];

    public IReadOnlyList<(string Code, string Name)> AreaOptions { get; private set; } = [];

    public string? Query { get; private set; }

    public string? Area { get; private set; }

    public string? State { get; private set; }

    public async Task OnGetAsync(long? site, string? q, string? area, string? state, CancellationToken cancellationToken)
    {
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken);
        var chosen = sites.FirstOrDefault(s => s.Id.Value == site) ?? sites.FirstOrDefault();
        if (chosen is null)
        {
            return;
        }

        (SiteId, SiteName, Query, Area, State) = (chosen.Id.Value, chosen.Name, q, area, state);
        AreaOptions = [.. (await db.Areas.AsNoTracking().Where(a => a.SiteId == chosen.Id).OrderBy(a => a.Floor).ThenBy(a => a.Code).ToListAsync(cancellationToken)).Select(a => (a.Code, a.Name))];
        var points = await status.ListAsync(chosen.Id, cancellationToken);
        Counters = OverviewEndpoints.Count(points);
        IEnumerable<SupplyPoint> shown = points;
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            shown = shown.Where(p => MallStatus.Matches(p, term));
        }

        if (!string.IsNullOrWhiteSpace(area))
        {
            shown = shown.Where(p => p.AreaCode == area);
        }

        if (Enum.TryParse<SupplyState>(state, ignoreCase: true, out var wanted))
        {
            shown = shown.Where(p => p.State == wanted);
        }

        Floors = [.. shown.OrderBy(p => p.Floor == 0 ? int.MaxValue : p.Floor).ThenBy(p => p.UnitNumber, StringComparer.Ordinal)
            .GroupBy(p => string.IsNullOrEmpty(p.AreaCode) ? "—" : AreaOptions.FirstOrDefault(a => a.Code == p.AreaCode).Name ?? p.AreaCode)];
    }
}
