using Kilowallet.Domain;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Payments;

/// <summary>/api/v1/.../payments: online top-up orders, provider callbacks and reconciliation.</summary>
public static class PaymentEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Payments");
        group.MapPost("/accounts/{accountId:long}/payments", Create).RequireAuthorization().RequireRateLimiting(AuthServiceCollectionExtensions.PaymentRateLimit);
        group.MapGet("/payments/providers", (PaymentService payments) => TypedResults.Ok(payments.Providers.Select(p => new { p.Code, p.DisplayName }))).RequireAuthorization();
        group.MapGet("/payments", List).RequireAuthorization(Policies.Operate);
        group.MapGet("/payments/{orderNo}", Get).RequireAuthorization();
        group.MapPost("/payments/{orderNo}/query", Query).RequireAuthorization().RequireRateLimiting(AuthServiceCollectionExtensions.PaymentRateLimit);
        group.MapPost("/payments/{provider}/callback", Callback).AllowAnonymous().RequireRateLimiting(AuthServiceCollectionExtensions.PaymentRateLimit);
    }

    public sealed record CreatePaymentRequest(decimal Amount, string? Provider, string? ReturnPath);

    public sealed record PaymentDto(string OrderNo, string Provider, long AccountId, decimal Amount, string Currency, PaymentOrderStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? SettledAt, long? EntryId, string? RedirectUrl);

    public static async Task<Results<Created<PaymentDto>, ProblemHttpResult, NotFound>> Create(
        long accountId, CreatePaymentRequest request, HttpContext http, PaymentService payments, KilowalletDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!await MayActOnAsync(http, db, new AccountId(accountId), cancellationToken))
        {
            return TypedResults.NotFound();
        }

        try
        {
            var started = await payments.CreateOrderAsync(new AccountId(accountId), request.Amount, request.Provider ?? DemoPayProvider.ProviderCode, AuditLog.ActorOf(http.User), request.ReturnPath, cancellationToken);
            return TypedResults.Created($"/api/v1/payments/{started.Order.OrderNo}", ToDto(started.Order, started.RedirectUrl));
        }
        catch (MoneyOperationException ex) when (ex.NotFound)
        {
            return TypedResults.NotFound();
        }
        catch (MoneyOperationException ex)
        {
            return Problems.Validation(ex.Field, ex.Message);
        }
    }

    public static async Task<Results<Ok<PaymentDto>, NotFound>> Get(string orderNo, HttpContext http, KilowalletDb db, CancellationToken cancellationToken)
    {
        var order = await db.PaymentOrders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderNo == orderNo, cancellationToken);
        return order is null || !await MayActOnAsync(http, db, order.AccountId, cancellationToken) ? TypedResults.NotFound() : TypedResults.Ok(ToDto(order, null));
    }

    public static async Task<Results<Ok<PaymentDto>, NotFound>> Query(string orderNo, HttpContext http, KilowalletDb db, PaymentService payments, CancellationToken cancellationToken)
    {
        var order = await db.PaymentOrders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderNo == orderNo, cancellationToken);
        if (order is null || !await MayActOnAsync(http, db, order.AccountId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var settled = await payments.QueryAsync(orderNo, cancellationToken);
        return TypedResults.Ok(ToDto(settled!, null));
    }

    public static async Task<Ok<Page<PaymentDto>>> List(KilowalletDb db, PaymentOrderStatus? status, long? accountId, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.PaymentOrders.AsNoTracking();
        if (status is { } wanted)
        {
            query = query.Where(o => o.Status == wanted);
        }

        if (accountId is { } account)
        {
            var key = new AccountId(account);
            query = query.Where(o => o.AccountId == key);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(o => o.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<PaymentDto>(items.ConvertAll(o => ToDto(o, null)), total, paging.Offset, paging.Limit));
    }

    /// <summary>The provider's server calls this with a signed body; the raw bytes are verified before anything is read from them.</summary>
    public static async Task<IResult> Callback(string provider, HttpContext http, PaymentService payments, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > 64 * 1024)
        {
            return TypedResults.Problem(title: "Callback too large.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var (accepted, outcome) = await payments.HandleCallbackAsync(provider, buffer.ToArray(), http.Request.Headers, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return accepted
            ? TypedResults.Text(payments.Provider(provider)!.Acknowledgement)
            : TypedResults.Problem(title: "Callback refused.", detail: outcome, statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>Staff may act on any account; a tenant only on their own (anything else looks like it does not exist).</summary>
    public static async Task<bool> MayActOnAsync(HttpContext http, KilowalletDb db, AccountId account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(db);
        var user = http.User;
        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Operator) || user.IsInRole(Roles.Cashier) || user.HasClaim(c => c.Type == ApiKeyScopes.ClaimType))
        {
            return true;
        }

        return TenantClaims.TenantIdOf(user) is { } tenant && await db.Accounts.AnyAsync(a => a.Id == account && a.TenantId == tenant, cancellationToken);
    }

    private static PaymentDto ToDto(PaymentOrder o, string? redirect) =>
        new(o.OrderNo, o.Provider, o.AccountId.Value, Money.FromMinorUnits(o.AmountMinor).Amount, o.Currency, o.Status, o.CreatedAt, o.SettledAt, o.EntryId, redirect);
}
