using Kilowallet.Domain;
using Kilowallet.Server.Api;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Accounts;

/// <summary>/api/v1/accounts.</summary>
public static class AccountEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/accounts").WithTags("Accounts").RequireAuthorization(Auth.Policies.Staff);
        group.MapGet("/", List);
        group.MapGet("/{accountId:long}", Get);
    }

    public sealed record AccountDto(
        long Id, long SiteId, long TenantId, string Number, AccountStatus Status,
        decimal Warning1, decimal Warning2, decimal TripLevel, decimal ReconnectLevel);

    public static async Task<Ok<Page<AccountDto>>> List(KilowalletDb db, long? siteId, long? tenantId, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.Accounts.AsNoTracking();
        if (siteId is { } site)
        {
            var key = new SiteId(site);
            query = query.Where(a => a.SiteId == key);
        }

        if (tenantId is { } tenant)
        {
            var key = new TenantId(tenant);
            query = query.Where(a => a.TenantId == key);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(a => a.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<AccountDto>(rows.ConvertAll(ToDto), total, paging.Offset, paging.Limit));
    }

    public static async Task<Results<Ok<AccountDto>, NotFound>> Get(KilowalletDb db, long accountId, CancellationToken cancellationToken)
    {
        var id = new AccountId(accountId);
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        return account is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(account));
    }

    private static AccountDto ToDto(Account a) => new(
        a.Id.Value, a.SiteId.Value, a.TenantId.Value, a.Number, a.Status,
        Money.FromMinorUnits(a.Warning1Minor).Amount, Money.FromMinorUnits(a.Warning2Minor).Amount,
        Money.FromMinorUnits(a.TripLevelMinor).Amount, Money.FromMinorUnits(a.ReconnectLevelMinor).Amount);
}
