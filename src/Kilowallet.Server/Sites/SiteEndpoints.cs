using Kilowallet.Domain;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
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
        group.MapGet("/{siteId:long}/areas/{areaId:long}", GetArea);
        group.MapGet("/{siteId:long}/shops/{shopId:long}", GetShop);
        group.MapPost("/", CreateSite).RequireAuthorization(Auth.Policies.Operate);
        group.MapPut("/{siteId:long}", UpdateSite).RequireAuthorization(Auth.Policies.Operate);
        group.MapPost("/{siteId:long}/areas", CreateArea).RequireAuthorization(Auth.Policies.Operate);
        group.MapPut("/{siteId:long}/areas/{areaId:long}", UpdateArea).RequireAuthorization(Auth.Policies.Operate);
        group.MapDelete("/{siteId:long}/areas/{areaId:long}", DeleteArea).RequireAuthorization(Auth.Policies.Operate);
        group.MapPost("/{siteId:long}/shops", CreateShop).RequireAuthorization(Auth.Policies.Operate);
        group.MapPut("/{siteId:long}/shops/{shopId:long}", UpdateShop).RequireAuthorization(Auth.Policies.Operate);
        group.MapDelete("/{siteId:long}/shops/{shopId:long}", DeleteShop).RequireAuthorization(Auth.Policies.Operate);
    }

    /// <summary>A site as created or replaced; time zone (IANA) and currency default to Asia/Shanghai and CNY.</summary>
    public sealed record SiteRequest(string? Code, string? Name, string? TimeZone, string? Currency);

    /// <summary>An area as created or replaced; kind defaults to floor, floor to 0.</summary>
    public sealed record AreaRequest(string? Code, string? Name, AreaKind? Kind, int? Floor);

    /// <summary>A shop as created or replaced; the area must be one of the same site.</summary>
    public sealed record ShopRequest(
        string? UnitNumber, string? Name, long? AreaId, decimal? FloorAreaM2, BusinessFormat? BusinessFormat, decimal? PowerLimitKw, bool? HighPowerAppliancesAllowed);

    public sealed record SiteDto(long Id, string Code, string Name, string TimeZone, string Currency);

    public sealed record AreaDto(long Id, string Code, string Name, AreaKind Kind, int Floor);

    public sealed record ShopDto(
        long Id, string UnitNumber, string Name, long AreaId, string AreaCode, decimal FloorAreaM2,
        BusinessFormat BusinessFormat, decimal? PowerLimitKw, bool HighPowerAppliancesAllowed);

    /// <summary>Sites in the order they were made, filtered by a search in the code or name.</summary>
    public static async Task<Ok<Page<SiteDto>>> ListSites(KilowalletDb db, string? search, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.Sites.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(s => s.Code.Contains(term) || s.Name.Contains(term));
        }

        query = query.OrderBy(s => s.Id);
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

    /// <summary>Areas of a site by floor, filtered by kind or floor.</summary>
    public static async Task<Results<Ok<Page<AreaDto>>, NotFound>> ListAreas(
        KilowalletDb db, long siteId, AreaKind? kind, int? floor, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var id = new SiteId(siteId);
        if (!await db.Sites.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var paging = Paging.From(offset, limit);
        var query = db.Areas.AsNoTracking().Where(a => a.SiteId == id);
        if (kind is { } k)
        {
            query = query.Where(a => a.Kind == k);
        }

        if (floor is { } f)
        {
            query = query.Where(a => a.Floor == f);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(a => a.Floor).ThenBy(a => a.Code).Skip(paging.Offset).Take(paging.Limit)
            .Select(a => new AreaDto(a.Id.Value, a.Code, a.Name, a.Kind, a.Floor))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<AreaDto>(items, total, paging.Offset, paging.Limit));
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

    public static async Task<Results<Ok<AreaDto>, NotFound>> GetArea(KilowalletDb db, long siteId, long areaId, CancellationToken cancellationToken)
    {
        var area = await FindAreaAsync(db, siteId, areaId, cancellationToken);
        return area is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(area));
    }

    public static async Task<Results<Ok<ShopDto>, NotFound>> GetShop(KilowalletDb db, long siteId, long shopId, CancellationToken cancellationToken)
    {
        var site = new SiteId(siteId);
        var id = new ShopId(shopId);
        var shop = await db.Shops.AsNoTracking().Include(s => s.Area).SingleOrDefaultAsync(s => s.Id == id && s.SiteId == site, cancellationToken);
        return shop is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(shop));
    }

    public static async Task<Results<Created<SiteDto>, ProblemHttpResult>> CreateSite(
        SiteRequest request, KilowalletDb db, AuditLog audit, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var fields = DirectoryRules.Check(new DirectoryRules.SiteFields(request.Code, request.Name, request.TimeZone, request.Currency), errors);
        if (!errors.AnyInvalid && await db.Sites.AnyAsync(s => s.Code == fields.Code, cancellationToken))
        {
            DirectoryRules.Taken(errors, "code", $"site '{fields.Code}'");
        }

        if (errors.Any)
        {
            return Problems.Of(errors);
        }

        var site = new Site { Code = fields.Code!, Name = fields.Name!, TimeZone = fields.TimeZone!, Currency = fields.Currency!, CreatedAt = clock.GetUtcNow() };
        db.Sites.Add(site);
        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "site.created", "site:" + site.Id, fields, cancellationToken);
        return TypedResults.Created($"/api/v1/sites/{site.Id}", ToDto(site));
    }

    public static async Task<Results<Ok<SiteDto>, NotFound, ProblemHttpResult>> UpdateSite(
        long siteId, SiteRequest request, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = new SiteId(siteId);
        var site = await db.Sites.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (site is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors();
        var fields = DirectoryRules.Check(new DirectoryRules.SiteFields(request.Code, request.Name, request.TimeZone, request.Currency), errors);
        if (!errors.AnyInvalid && await db.Sites.AnyAsync(s => s.Code == fields.Code && s.Id != id, cancellationToken))
        {
            DirectoryRules.Taken(errors, "code", $"site '{fields.Code}'");
        }

        if (!errors.AnyInvalid && fields.Currency != site.Currency && await db.Accounts.AnyAsync(a => a.SiteId == id, cancellationToken))
        {
            errors.Conflict("currency", "the site already has accounts; their money is in " + site.Currency);
        }

        if (errors.Any)
        {
            return Problems.Of(errors);
        }

        DirectoryRules.Apply(fields, site);
        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "site.updated", "site:" + site.Id, fields, cancellationToken);
        return TypedResults.Ok(ToDto(site));
    }

    public static async Task<Results<Created<AreaDto>, NotFound, ProblemHttpResult>> CreateArea(
        long siteId, AreaRequest request, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var site = new SiteId(siteId);
        if (!await db.Sites.AnyAsync(s => s.Id == site, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors();
        var fields = DirectoryRules.Check(new DirectoryRules.AreaFields(request.Code, request.Name, request.Kind, request.Floor), errors);
        if (!errors.AnyInvalid && await db.Areas.AnyAsync(a => a.SiteId == site && a.Code == fields.Code, cancellationToken))
        {
            DirectoryRules.Taken(errors, "code", $"area '{fields.Code}'");
        }

        if (errors.Any)
        {
            return Problems.Of(errors);
        }

        var area = new Area { SiteId = site, Code = fields.Code!, Name = fields.Name! };
        DirectoryRules.Apply(fields, area);
        db.Areas.Add(area);
        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "area.created", "area:" + area.Id, fields, cancellationToken);
        return TypedResults.Created($"/api/v1/sites/{siteId}/areas/{area.Id}", ToDto(area));
    }

    public static async Task<Results<Ok<AreaDto>, NotFound, ProblemHttpResult>> UpdateArea(
        long siteId, long areaId, AreaRequest request, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var area = await FindAreaAsync(db, siteId, areaId, cancellationToken, tracked: true);
        if (area is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors();
        var fields = DirectoryRules.Check(new DirectoryRules.AreaFields(request.Code, request.Name, request.Kind, request.Floor), errors);
        if (!errors.AnyInvalid && await db.Areas.AnyAsync(a => a.SiteId == area.SiteId && a.Code == fields.Code && a.Id != area.Id, cancellationToken))
        {
            DirectoryRules.Taken(errors, "code", $"area '{fields.Code}'");
        }

        if (errors.Any)
        {
            return Problems.Of(errors);
        }

        DirectoryRules.Apply(fields, area);
        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "area.updated", "area:" + area.Id, fields, cancellationToken);
        return TypedResults.Ok(ToDto(area));
    }

    /// <summary>Deletes an area that no shop is in (move or delete its shops first).</summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteArea(
        long siteId, long areaId, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var area = await FindAreaAsync(db, siteId, areaId, cancellationToken, tracked: true);
        if (area is null)
        {
            return TypedResults.NotFound();
        }

        if (await db.Shops.AnyAsync(s => s.AreaId == area.Id, cancellationToken))
        {
            return Problems.Conflict($"Area {area.Code} still has shops; move or delete them first.");
        }

        db.Areas.Remove(area);
        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "area.deleted", "area:" + areaId, new { area.Code }, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<ShopDto>, NotFound, ProblemHttpResult>> CreateShop(
        long siteId, ShopRequest request, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var site = new SiteId(siteId);
        if (!await db.Sites.AnyAsync(s => s.Id == site, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var shop = new Shop { SiteId = site, UnitNumber = string.Empty, Name = string.Empty };
        if (await CheckShopAsync(db, shop, request, cancellationToken) is { } problem)
        {
            return problem;
        }

        db.Shops.Add(shop);
        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "shop.created", "shop:" + shop.Id, request, cancellationToken);
        return TypedResults.Created($"/api/v1/sites/{siteId}/shops/{shop.Id}", ToDto(shop));
    }

    public static async Task<Results<Ok<ShopDto>, NotFound, ProblemHttpResult>> UpdateShop(
        long siteId, long shopId, ShopRequest request, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var site = new SiteId(siteId);
        var id = new ShopId(shopId);
        var shop = await db.Shops.SingleOrDefaultAsync(s => s.Id == id && s.SiteId == site, cancellationToken);
        if (shop is null)
        {
            return TypedResults.NotFound();
        }

        if (await CheckShopAsync(db, shop, request, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "shop.updated", "shop:" + shop.Id, request, cancellationToken);
        return TypedResults.Ok(ToDto(shop));
    }

    /// <summary>Deletes a shop that no meter supplies (meters keep their history, so delete or move them first).</summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteShop(
        long siteId, long shopId, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var site = new SiteId(siteId);
        var id = new ShopId(shopId);
        var shop = await db.Shops.SingleOrDefaultAsync(s => s.Id == id && s.SiteId == site, cancellationToken);
        if (shop is null)
        {
            return TypedResults.NotFound();
        }

        ShopId? key = id;
        if (await db.Meters.AnyAsync(m => m.ShopId == key, cancellationToken))
        {
            return Problems.Conflict($"Shop {shop.UnitNumber} still has meters; they keep their history, so move them to another shop first.");
        }

        db.Shops.Remove(shop);
        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "shop.deleted", "shop:" + shopId, new { shop.UnitNumber }, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Checks a shop request against the directory rules and the site's other shops, and writes it into <paramref name="shop"/> when valid.</summary>
    private static async Task<ProblemHttpResult?> CheckShopAsync(KilowalletDb db, Shop shop, ShopRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var fields = DirectoryRules.Check(
            new DirectoryRules.ShopFields(request.UnitNumber, request.Name, request.FloorAreaM2, request.BusinessFormat, request.PowerLimitKw, request.HighPowerAppliancesAllowed),
            errors);
        Area? area = null;
        if (request.AreaId is not { } areaId)
        {
            errors.Invalid("area_code", "is required");
        }
        else
        {
            var areaKey = new AreaId(areaId);
            area = await db.Areas.SingleOrDefaultAsync(a => a.Id == areaKey && a.SiteId == shop.SiteId, cancellationToken);
            if (area is null)
            {
                errors.Invalid("area_code", $"no area {areaId} at this site");
            }
        }

        if (!errors.AnyInvalid && await db.Shops.AnyAsync(s => s.SiteId == shop.SiteId && s.UnitNumber == fields.UnitNumber && s.Id != shop.Id, cancellationToken))
        {
            DirectoryRules.Taken(errors, "unit_number", $"shop '{fields.UnitNumber}'");
        }

        if (errors.Any)
        {
            return Problems.Of(errors);
        }

        DirectoryRules.Apply(fields, area!, shop);
        return null;
    }

    private static async Task<Area?> FindAreaAsync(KilowalletDb db, long siteId, long areaId, CancellationToken cancellationToken, bool tracked = false)
    {
        var site = new SiteId(siteId);
        var id = new AreaId(areaId);
        var query = tracked ? db.Areas : db.Areas.AsNoTracking();
        return await query.SingleOrDefaultAsync(a => a.Id == id && a.SiteId == site, cancellationToken);
    }

    private static SiteDto ToDto(Site s) => new(s.Id.Value, s.Code, s.Name, s.TimeZone, s.Currency);

    private static AreaDto ToDto(Area a) => new(a.Id.Value, a.Code, a.Name, a.Kind, a.Floor);

    private static ShopDto ToDto(Shop s) => new(
        s.Id.Value, s.UnitNumber, s.Name, s.AreaId.Value, s.Area?.Code ?? string.Empty, s.FloorAreaM2, s.BusinessFormat, s.PowerLimitKw, s.HighPowerAppliancesAllowed);
}
