using Kilowallet.Server.Overview;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Console.Meters;

/// <summary>Every meter with its shop, tenant, supply state, relay, power and last reading; search and filter.</summary>
public sealed class IndexModel(KilowalletDb db, MallStatus status) : PageModel
{
    public IReadOnlyList<SupplyPoint> Points { get; private set; } = [];

    public int Total { get; private set; }

    public string? Query { get; private set; }

    public SupplyState? State { get; private set; }

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task OnGetAsync(string? q, SupplyState? state, CancellationToken cancellationToken)
    {
        (Query, State) = (q, state);
        var all = new List<SupplyPoint>();
        foreach (var site in await db.Sites.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(cancellationToken))
        {
            all.AddRange(await status.ListAsync(site, cancellationToken));
        }

        Total = all.Count;
        IEnumerable<SupplyPoint> shown = all;
        if (!string.IsNullOrWhiteSpace(q))
        {
            shown = shown.Where(p => MallStatus.Matches(p, q.Trim()));
        }

        if (state is { } wanted)
        {
            shown = shown.Where(p => p.State == wanted);
        }

        Points = [.. shown.OrderBy(p => p.Serial, StringComparer.Ordinal)];
        Zone = await Sites.SiteZones.FirstAsync(db, cancellationToken);
    }
}
