using Kilowallet.Server.Accounts;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Cashier;

/// <summary>/api/v1/cashier: the till's search box and shifts (the top-up itself is POST /accounts/{id}/topups).</summary>
public static class CashierEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var cashier = api.MapGroup("/cashier").WithTags("Cashier").RequireAuthorization(Policies.Collect);
        cashier.MapGet("/search", Search);
        cashier.MapGet("/shift", MyShift);
        cashier.MapPost("/shift/close", Close);
        cashier.MapGet("/shifts/{shiftId:long}", Get);
        cashier.MapGet("/shifts", List).RequireAuthorization(Policies.Operate);
    }

    public sealed record ShiftSummary(long Id, string Cashier, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt);

    public static async Task<Results<Ok<IReadOnlyList<AccountFinder.AccountHit>>, ProblemHttpResult>> Search(string? q, AccountFinder finder, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return Problems.Validation("q", "Type a shop number, a name, a phone number, a meter serial or an account number.");
        }

        return TypedResults.Ok(await finder.SearchAsync(q, cancellationToken));
    }

    /// <summary>The caller's open shift (204 when none is open: it opens with the first top-up).</summary>
    public static async Task<Results<Ok<CashierDesk.ShiftReport>, NoContent>> MyShift(HttpContext http, CashierDesk desk, CancellationToken cancellationToken)
    {
        var open = await desk.OpenShiftOfAsync(AuditLog.ActorOf(http.User), cancellationToken);
        return open is { } id && await desk.ReportAsync(id, cancellationToken) is { } report ? TypedResults.Ok(report) : TypedResults.NoContent();
    }

    /// <summary>Ends the caller's shift and returns its report; after this its top-ups can be reversed only by an operator.</summary>
    public static async Task<Results<Ok<CashierDesk.ShiftReport>, ProblemHttpResult>> Close(HttpContext http, CashierDesk desk, AccountMoney money, TimeProvider clock, CancellationToken cancellationToken)
    {
        var closed = await money.CloseShiftAsync(AuditLog.ActorOf(http.User), clock.GetUtcNow(), cancellationToken);
        if (closed is not { } id)
        {
            return Problems.Conflict("You have no open shift: a shift opens with your first top-up.");
        }

        return TypedResults.Ok((await desk.ReportAsync(id, cancellationToken))!);
    }

    /// <summary>A shift's report: cashiers see their own, operators every shift.</summary>
    public static async Task<Results<Ok<CashierDesk.ShiftReport>, NotFound>> Get(long shiftId, HttpContext http, CashierDesk desk, CancellationToken cancellationToken)
    {
        var report = await desk.ReportAsync(shiftId, cancellationToken);
        if (report is null || (!Policies.CanOperate(http.User) && report.Cashier != AuditLog.ActorOf(http.User)))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(report);
    }

    public static async Task<Ok<Page<ShiftSummary>>> List(KilowalletDb db, string? cashier, bool? open, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.CashierShifts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(cashier))
        {
            query = query.Where(s => s.Cashier == cashier);
        }

        if (open is { } isOpen)
        {
            query = isOpen ? query.Where(s => s.ClosedAt == null) : query.Where(s => s.ClosedAt != null);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(s => s.Id).Skip(paging.Offset).Take(paging.Limit)
            .Select(s => new ShiftSummary(s.Id, s.Cashier, s.OpenedAt, s.ClosedAt)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<ShiftSummary>(items, total, paging.Offset, paging.Limit));
    }
}
