using Kilowallet.Domain;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Sites;
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
        group.MapPost("/", Create).RequireAuthorization(Auth.Policies.Operate);
        group.MapPut("/{tenantId:long}", Update).RequireAuthorization(Auth.Policies.Operate);
        group.MapDelete("/{tenantId:long}", Delete).RequireAuthorization(Auth.Policies.Operate);
    }

    /// <summary>A tenant as created or replaced; the site is given on creation and never changes. Language defaults to simplifiedChinese.</summary>
    public sealed record TenantRequest(long? SiteId, string? Code, string? Name, string? ContactName, string? Phone, string? Email, Language? PreferredLanguage);

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

    public static async Task<Results<Created<TenantDto>, ProblemHttpResult>> Create(
        TenantRequest request, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        SiteId site = default;
        if (request.SiteId is not { } siteId)
        {
            errors.Invalid("site_code", "is required");
        }
        else if (!await db.Sites.AnyAsync(s => s.Id == new SiteId(siteId), cancellationToken))
        {
            errors.Invalid("site_code", $"no site {siteId}");
        }
        else
        {
            site = new SiteId(siteId);
        }

        var tenant = new Tenant { SiteId = site, Code = string.Empty, Name = string.Empty };
        if (await CheckAsync(db, tenant, request, errors, cancellationToken) is { } problem)
        {
            return problem;
        }

        db.Tenants.Add(tenant);
        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "tenant.created", "tenant:" + tenant.Id, request, cancellationToken);
        return TypedResults.Created($"/api/v1/tenants/{tenant.Id}", ToDto(tenant));
    }

    public static async Task<Results<Ok<TenantDto>, NotFound, ProblemHttpResult>> Update(
        long tenantId, TenantRequest request, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = new TenantId(tenantId);
        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tenant is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors();
        if (request.SiteId is { } siteId && siteId != tenant.SiteId.Value)
        {
            errors.Invalid("site_code", "a tenant stays at its site; create a new tenant at the other site");
        }

        if (await CheckAsync(db, tenant, request, errors, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "tenant.updated", "tenant:" + tenant.Id, request, cancellationToken);
        return TypedResults.Ok(ToDto(tenant));
    }

    /// <summary>Deletes a tenant that has no account and no user (a tenant with history keeps it; close their accounts instead).</summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(
        long tenantId, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var id = new TenantId(tenantId);
        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tenant is null)
        {
            return TypedResults.NotFound();
        }

        TenantId? key = id;
        if (await db.Accounts.AnyAsync(a => a.TenantId == id, cancellationToken) || await db.Users.AnyAsync(u => u.TenantId == key, cancellationToken))
        {
            return Problems.Conflict($"Tenant {tenant.Code} has accounts or users; close the accounts and disable the users instead of deleting the tenant.");
        }

        db.Tenants.Remove(tenant);
        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "tenant.deleted", "tenant:" + tenantId, new { tenant.Code }, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<ProblemHttpResult?> CheckAsync(KilowalletDb db, Tenant tenant, TenantRequest request, FieldErrors errors, CancellationToken cancellationToken)
    {
        var fields = DirectoryRules.Check(
            new DirectoryRules.TenantFields(request.Code, request.Name, request.ContactName, request.Phone, request.Email, request.PreferredLanguage), errors);
        if (!errors.AnyInvalid && await db.Tenants.AnyAsync(t => t.SiteId == tenant.SiteId && t.Code == fields.Code && t.Id != tenant.Id, cancellationToken))
        {
            DirectoryRules.Taken(errors, "code", $"tenant '{fields.Code}'");
        }

        if (errors.Any)
        {
            return Problems.Of(errors);
        }

        DirectoryRules.Apply(fields, tenant);
        return null;
    }

    private static TenantDto ToDto(Tenant t) => new(t.Id.Value, t.SiteId.Value, t.Code, t.Name, t.ContactName, t.Phone, t.Email, t.PreferredLanguage);
}
