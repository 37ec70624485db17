using Kilowallet.Domain;
using Kilowallet.Server.Api;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Tenants;

/// <summary>/api/v1/tenants.</summary>
public static class TenantEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/tenants").WithTags("Tenants").RequireAuthorization(Auth.Policies.Staff);
        group.MapGet("/", List);
        group.MapGet("/{tenantId:long}", Get);
    }

    public sealed record TenantDto(long Id, long SiteId, string Code, string Name, string? ContactName, string? Phone, string? Email, Language PreferredLanguage);

    public static async Task<Ok<Page<TenantDto>>> List(KilowalletDb db, long? siteId, string? search, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.Tenants.AsNoTracking();
        if (siteId is { } site)
        {
            var key = new SiteId(site);
            query = query.Where(t => t.SiteId == key);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(t => t.Name.Contains(term) || t.Code.Contains(term) || (t.Phone != null && t.Phone.Contains(term)));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(t => t.Id).Skip(paging.Offset).Take(paging.Limit)
            .Select(t => new TenantDto(t.Id.Value, t.SiteId.Value, t.Code, t.Name, t.ContactName, t.Phone, t.Email, t.PreferredLanguage))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<TenantDto>(items, total, paging.Offset, paging.Limit));
    }

    public static async Task<Results<Ok<TenantDto>, NotFound>> Get(KilowalletDb db, long tenantId, CancellationToken cancellationToken)
    {
        var id = new TenantId(tenantId);
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == id)
            .Select(t => new TenantDto(t.Id.Value, t.SiteId.Value, t.Code, t.Name, t.ContactName, t.Phone, t.Email, t.PreferredLanguage))
            .SingleOrDefaultAsync(cancellationToken);
        return tenant is null ? TypedResults.NotFound() : TypedResults.Ok(tenant);
    }
}
