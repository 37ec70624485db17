using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Console;

/// <summary>
/// Administration (admins only): users and their lockouts, API keys, the audit log and webhook
/// subscriptions, one tab at a time. Changes go through the REST API (/api/v1/users, /api-keys,
/// /webhook-subscriptions); only the open tab's data is read.
/// </summary>
public sealed class AdminModel(KilowalletDb db, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    public static IReadOnlyList<string> Tabs { get; } = ["users", "keys", "audit", "webhooks"];

    /// <summary>Action prefixes offered by the audit log's kind filter.</summary>
    public static IReadOnlyList<string> AuditKinds { get; } =
        ["topup.", "refund.", "adjustment.", "transfer.", "shift.", "payment.", "account.", "tariff.", "site.", "relay.", "alarm.", "user.", "apikey.", "webhook.", "notification"];

    public sealed record UserRow(string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Tenant, bool Disabled, DateTimeOffset? LockedUntil, int FailedAttempts);

    public string Tab { get; private set; } = "users";

    public DateTimeOffset Now { get; private set; }

    /// <summary>Times are shown and audit dates read in the first site's time zone (UTC without sites).</summary>
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    public int UserTotal { get; private set; }

    public string? Role { get; private set; }

    public string? Query { get; private set; }

    public int Offset { get; private set; }

    public IReadOnlyList<(long Id, string Label)> Tenants { get; private set; } = [];

    public IReadOnlyList<ApiKey> Keys { get; private set; } = [];

    public IReadOnlyList<AuditEntry> Audit { get; private set; } = [];

    public int AuditTotal { get; private set; }

    public string? Kind { get; private set; }

    public string? Actor { get; private set; }

    public DateOnly? From { get; private set; }

    public DateOnly? To { get; private set; }

    public IReadOnlyList<string> ActorNames { get; private set; } = [];

    public IReadOnlyList<WebhookSubscription> Webhooks { get; private set; } = [];

    public async Task OnGetAsync(string? tab, string? role, string? q, string? kind, string? actor, DateOnly? from, DateOnly? to, int? offset, CancellationToken cancellationToken)
    {
        Tab = Tabs.Contains(tab) ? tab! : "users";
        Now = clock.GetUtcNow();
        Offset = Math.Max(0, offset ?? 0);
        var zone = await db.Sites.AsNoTracking().OrderBy(s => s.Id).Select(s => s.TimeZone).FirstOrDefaultAsync(cancellationToken);
        Zone = zone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone);
        switch (Tab)
        {
            case "keys":
                Keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.Id).ToListAsync(cancellationToken);
                break;
            case "audit":
                (Kind, Actor, From, To) = (kind, actor, from, to);
                await LoadAuditAsync(cancellationToken);
                break;
            case "webhooks":
                Webhooks = await db.WebhookSubscriptions.AsNoTracking().OrderBy(w => w.Id).ToListAsync(cancellationToken);
                break;
            default:
                (Role, Query) = (Roles.All.Contains(role) ? role : null, string.IsNullOrWhiteSpace(q) ? null : q.Trim());
                await LoadUsersAsync(cancellationToken);
                break;
        }
    }

    public string Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private async Task LoadUsersAsync(CancellationToken cancellationToken)
    {
        var users = db.Users.AsNoTracking();
        if (Role is not null)
        {
            var role = Role;
            users = users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
        }
        else
        {
            // Staff first: tenants' own users are many, and found by filtering on the tenant role.
            users = users.Where(u => u.TenantId == null);
        }

        if (Query is not null)
        {
            var upper = Query.ToUpperInvariant();
            users = users.Where(u => u.NormalizedUserName!.Contains(upper) || u.DisplayName.Contains(Query));
        }

        UserTotal = await users.CountAsync(cancellationToken);
        var page = await users.OrderBy(u => u.UserName).Skip(Offset).Take(PageSize).ToListAsync(cancellationToken);
        var ids = page.ConvertAll(u => u.Id);
        var roles = (await (from ur in db.UserRoles.AsNoTracking()
                            where ids.Contains(ur.UserId)
                            join r in db.Roles on ur.RoleId equals r.Id
                            select new { ur.UserId, r.Name }).ToListAsync(cancellationToken))
            .ToLookup(x => x.UserId, x => x.Name!);
        var tenantIds = page.Where(u => u.TenantId is not null).Select(u => u.TenantId!.Value).Distinct().ToList();
        var tenantNames = await db.Tenants.AsNoTracking().Where(t => tenantIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        Users = [.. page.Select(u => new UserRow(
            u.UserName!, u.DisplayName, [.. roles[u.Id]],
            u.TenantId is { } t ? tenantNames.GetValueOrDefault(t, t.ToString()) : null,
            u.Disabled,
            u.LockoutEnd is { } end && end > Now ? end : null,
            u.AccessFailedCount))];
        Tenants = [.. (await db.Tenants.AsNoTracking().OrderBy(t => t.Code).Select(t => new { t.Id, t.Code, t.Name }).ToListAsync(cancellationToken))
            .Select(t => (t.Id.Value, t.Code + " · " + t.Name))];
    }

    private async Task LoadAuditAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? Start(DateOnly? date) => date is { } d ? new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(d.ToDateTime(TimeOnly.MinValue), Zone), TimeSpan.Zero) : null;
        var query = AuthEndpoints.Filter(db.AuditLog.AsNoTracking(), null, Kind, Actor, Start(From), Start(To?.AddDays(1)));
        AuditTotal = await query.CountAsync(cancellationToken);
        Audit = await query.OrderByDescending(a => a.Id).Skip(Offset).Take(PageSize).ToListAsync(cancellationToken);
        ActorNames = await db.Users.AsNoTracking().Where(u => u.TenantId == null).OrderBy(u => u.UserName).Select(u => u.UserName!).ToListAsync(cancellationToken);
    }
}
