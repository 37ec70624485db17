using Kilowallet.Domain;
using Kilowallet.Server.Api;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Sites;

/// <summary>/api/v1/sites: sites, their areas and their shops.</summary>
public static class SiteEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/sites").WithTags("Sites").RequireAuthorization(Auth.Policies.Staff);
        group.MapGet("/", ListSites);
        group.MapGet("/{siteId:long}", GetSite);
        group.MapGet("/{siteId:long}/areas", ListAreas);
        group.MapGet("/{siteId:long}/shops", ListShops);
    }

    public sealed record SiteDto(long Id, string Code, string Name, string TimeZone, string Currency);

    public sealed record AreaDto(long Id, string Code, string Name, AreaKind Kind, int Floor);

    public sealed record ShopDto(
        long Id, string UnitNumber, string Name, long AreaId, string AreaCode, decimal FloorAreaM2,
        BusinessFormat BusinessFormat, decimal? PowerLimitKw, bool HighPowerAppliancesAllowed);

    public static async Task<Ok<Page<SiteDto>>> ListSites(KilowalletDb db, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.Sites.AsNoTracking().OrderBy(s => s.Id);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.Skip(paging.Offset).Take(paging.Limit)
            .Select(s => new SiteDto(s.Id.Value, s.Code, s.Name, s.TimeZone, s.Currency))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<SiteDto>(items, total, paging.Offset, paging.Limit));
    }

    public static async Task<Results<Ok<SiteDto>, NotFound>> GetSite(KilowalletDb db, long siteId, CancellationToken cancellationToken)
    {
        var id = new SiteId(siteId);
        var site = await db.Sites.AsNoTracking()
            .Where(s => s.Id == id)
            .Select(s => new SiteDto(s.Id.Value, s.Code, s.Name, s.TimeZone, s.Currency))
            .SingleOrDefaultAsync(cancellationToken);
        return site is null ? TypedResults.NotFound() : TypedResults.Ok(site);
    }

    public static async Task<Results<Ok<IReadOnlyList<AreaDto>>, NotFound>> ListAreas(KilowalletDb db, long siteId, CancellationToken cancellationToken)
    {
        var id = new SiteId(siteId);
        if (!await db.Sites.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        IReadOnlyList<AreaDto> areas = await db.Areas.AsNoTracking()
            .Where(a => a.SiteId == id)
            .OrderBy(a => a.Floor).ThenBy(a => a.Code)
            .Select(a => new AreaDto(a.Id.Value, a.Code, a.Name, a.Kind, a.Floor))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(areas);
    }

    /// <summary>Shops of a site, filtered by area, business format or a search term (unit number or name).</summary>
    public static async Task<Results<Ok<Page<ShopDto>>, NotFound>> ListShops(
        KilowalletDb db, long siteId, long? areaId, BusinessFormat? businessFormat, string? search, int? offset, int? limit,
        CancellationToken cancellationToken)
    {
        var id = new SiteId(siteId);
        if (!await db.Sites.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var paging = Paging.From(offset, limit);
        var query = db.Shops.AsNoTracking().Where(s => s.SiteId == id);
        if (areaId is { } area)
        {
            var areaKey = new AreaId(area);
            query = query.Where(s => s.AreaId == areaKey);
        }

        if (businessFormat is { } format)
        {
            query = query.Where(s => s.BusinessFormat == format);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(s => s.UnitNumber.Contains(term) || s.Name.Contains(term));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(s => s.UnitNumber).Skip(paging.Offset).Take(paging.Limit)
            .Select(s => new ShopDto(
                s.Id.Value, s.UnitNumber, s.Name, s.AreaId.Value, s.Area!.Code, s.FloorAreaM2,
                s.BusinessFormat, s.PowerLimitKw, s.HighPowerAppliancesAllowed))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<ShopDto>(items, total, paging.Offset, paging.Limit));
    }
}
