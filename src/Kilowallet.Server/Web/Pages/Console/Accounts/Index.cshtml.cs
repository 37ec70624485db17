using Kilowallet.Server.Accounts;
using Kilowallet.Server.Api;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Console.Accounts;

/// <summary>Every prepaid account with its balance and state; search, filter, open a new one.</summary>
public sealed class IndexModel(KilowalletDb db, AccountFinder finder) : PageModel
{
    public sealed record TenantOption(long Id, string Code, string Name);

    public IReadOnlyList<AccountFinder.AccountHit> Rows { get; private set; } = [];

    public IReadOnlyList<TenantOption> Tenants { get; private set; } = [];

    public int Total { get; private set; }

    public int Offset { get; private set; }

    public string? Query { get; private set; }

    public string? Filter { get; private set; }

    /// <summary>The site a new tenant joins (the first; a multi-site operator picks it in the directory API).</summary>
    public long SiteId { get; private set; }

    public async Task OnGetAsync(string? q, string? filter, int? offset, CancellationToken cancellationToken)
    {
        (Query, Filter) = (q, filter);
        var paging = Paging.From(offset, 100);
        Offset = paging.Offset;
        SiteId = await db.Sites.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Id.Value).FirstOrDefaultAsync(cancellationToken);
        Tenants = await db.Tenants.AsNoTracking().OrderBy(t => t.Code).Select(t => new TenantOption(t.Id.Value, t.Code, t.Name)).ToListAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var hits = await finder.SearchAsync(q, cancellationToken);
            Rows = [.. Apply(hits, filter)];
            Total = Rows.Count;
            return;
        }

        // All accounts, filtered in memory by money state (a few thousand at most per mall).
        var all = await finder.ListAsync(cancellationToken);
        var filtered = Apply(all, filter).ToList();
        Total = filtered.Count;
        Rows = [.. filtered.Skip(paging.Offset).Take(paging.Limit)];
    }

    private static IEnumerable<AccountFinder.AccountHit> Apply(IEnumerable<AccountFinder.AccountHit> rows, string? filter) => filter switch
    {
        "low" => rows.Where(r => r.Status == AccountStatus.Open && r.Available <= r.Warning1),
        "exhausted" => rows.Where(r => r.Status == AccountStatus.Open && r.Exhausted),
        "closed" => rows.Where(r => r.Status == AccountStatus.Closed),
        _ => rows,
    };
}
