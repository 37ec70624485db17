using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kilowallet.Server.Accounts;

/// <summary>
/// Money-moving endpoints: top-ups, reversals, refunds, adjustments, transfers. Each needs an
/// Idempotency-Key header (or, for till top-ups, a receipt number) and returns the original result
/// when retried.
/// </summary>
public static class MoneyEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var accounts = api.MapGroup("/accounts/{accountId:long}").WithTags("Money");
        accounts.MapPost("/topups", TopUp).RequireAuthorization(Policies.Collect).WithMetadata(new IdempotencyKeyMetadata(Required: false));
        accounts.MapPost("/refunds", Refund).RequireAuthorization(Policies.Operate).WithMetadata(new IdempotencyKeyMetadata());
        accounts.MapPost("/adjustments", Adjust).RequireAuthorization(Policies.Operate).WithMetadata(new IdempotencyKeyMetadata());
        accounts.MapPost("/transfers", Transfer).RequireAuthorization(Policies.Operate).WithMetadata(new IdempotencyKeyMetadata());
        api.MapPost("/ledger/entries/{entryId:long}/reverse", Reverse).WithTags("Money").RequireAuthorization(Policies.Collect);
    }

    public sealed record TopUpRequest(decimal Amount, string? Method, string? ReceiptNumber, string? Currency);

    public sealed record RefundRequest(decimal Amount, string? Channel, string? Reason);

    public sealed record AdjustmentRequest(decimal Amount, string? Reason);

    public sealed record TransferRequest(long ToAccountId, decimal Amount, string? Reason);

    public sealed record ReverseRequest(string? Reason);

    public sealed record MoneyResultDto(long EntryId, bool Replayed, DateTimeOffset At, decimal Amount, string? Reference, decimal Balance, decimal Unposted, decimal Available);

    /// <summary>Till methods and the ledger account each is funded from.</summary>
    public static IReadOnlyDictionary<string, Func<string, LedgerAccountKey>> TillMethods { get; } = new Dictionary<string, Func<string, LedgerAccountKey>>(StringComparer.OrdinalIgnoreCase)
    {
        ["cash"] = LedgerAccountKey.CashDrawer,
        ["card"] = _ => LedgerAccountKey.Clearing("pos-card"),
        ["qr"] = _ => LedgerAccountKey.Clearing("pos-qr"),
    };

    public static async Task<Results<Ok<MoneyResultDto>, Created<MoneyResultDto>, ProblemHttpResult, NotFound>> TopUp(
        long accountId, TopUpRequest request, HttpContext http, AccountMoney money, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actor = AuditLog.ActorOf(http.User);
        var method = (request.Method ?? "cash").Trim().ToLowerInvariant();
        if (!TillMethods.TryGetValue(method, out var source))
        {
            return Problems.Validation("method", $"The method must be one of {string.Join(", ", TillMethods.Keys)}.");
        }

        IdempotencyKey key;
        string receipt;
        if (!string.IsNullOrWhiteSpace(request.ReceiptNumber))
        {
            receipt = request.ReceiptNumber.Trim();
            if (!IdempotencyKey.TryParse("receipt:" + receipt, out key))
            {
                return Problems.Validation("receiptNumber", "The receipt number has characters that are not allowed.");
            }
        }
        else if (IdempotencyKeys.FromRequest(http) is { } clientKey)
        {
            key = clientKey;
            receipt = ReceiptNumbers.Next(clock);
        }
        else
        {
            return Problems.Validation(IdempotencyKeys.Header, "A top-up needs an Idempotency-Key header or a receipt number, so a retry never credits twice.");
        }

        // A drawer is named after its cashier; "apikey:erp" becomes "apikey-erp" (a ledger key has no colon in its qualifier).
        var drawer = LedgerNames.Of(actor);
        return await Run(
            () => money.TopUpAsync(new TopUpCommand(new AccountId(accountId), request.Amount, method, key, source(drawer), actor, receipt, AtTill: true, request.Currency), cancellationToken));
    }

    public static async Task<Results<Ok<MoneyResultDto>, Created<MoneyResultDto>, ProblemHttpResult, NotFound>> Reverse(
        long entryId, ReverseRequest request, HttpContext http, AccountMoney money, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await Run(() => money.ReverseTopUpAsync(entryId, request.Reason ?? string.Empty, AuditLog.ActorOf(http.User), Policies.CanOperate(http.User), cancellationToken));
    }

    public static async Task<Results<Ok<MoneyResultDto>, Created<MoneyResultDto>, ProblemHttpResult, NotFound>> Refund(
        long accountId, RefundRequest request, HttpContext http, AccountMoney money, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IdempotencyKeys.FromRequest(http) is not { } key)
        {
            return MissingKey();
        }

        return await Run(() => money.RefundAsync(new AccountId(accountId), request.Amount, request.Channel ?? "cash", request.Reason ?? string.Empty, AuditLog.ActorOf(http.User), key, cancellationToken));
    }

    public static async Task<Results<Ok<MoneyResultDto>, Created<MoneyResultDto>, ProblemHttpResult, NotFound>> Adjust(
        long accountId, AdjustmentRequest request, HttpContext http, AccountMoney money, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IdempotencyKeys.FromRequest(http) is not { } key)
        {
            return MissingKey();
        }

        return await Run(() => money.AdjustAsync(new AccountId(accountId), request.Amount, request.Reason ?? string.Empty, AuditLog.ActorOf(http.User), key, cancellationToken));
    }

    public static async Task<Results<Ok<MoneyResultDto>, Created<MoneyResultDto>, ProblemHttpResult, NotFound>> Transfer(
        long accountId, TransferRequest request, HttpContext http, AccountMoney money, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IdempotencyKeys.FromRequest(http) is not { } key)
        {
            return MissingKey();
        }

        return await Run(() => money.TransferAsync(new AccountId(accountId), new AccountId(request.ToAccountId), request.Amount, request.Reason ?? string.Empty, AuditLog.ActorOf(http.User), key, cancellationToken));
    }

    /// <summary>Runs a money operation and maps its outcome: 201 when money moved, 200 for a replay, 404/409/422 when refused.</summary>
    public static async Task<Results<Ok<MoneyResultDto>, Created<MoneyResultDto>, ProblemHttpResult, NotFound>> Run(Func<Task<MoneyResult>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            var result = await operation();
            var dto = ToDto(result);
            return result.Created ? TypedResults.Created($"/api/v1/ledger/entries/{result.EntryId}", dto) : TypedResults.Ok(dto);
        }
        catch (MoneyOperationException ex) when (ex.NotFound)
        {
            return TypedResults.NotFound();
        }
        catch (MoneyOperationException ex)
        {
            return Problems.Refused(ex.Field, ex.Message);
        }
        catch (IdempotencyConflictException ex)
        {
            return Problems.Conflict(ex.Message);
        }
        catch (ArgumentException ex)
        {
            return Problems.Validation("request", ex.Message);
        }
    }

    public static MoneyResultDto ToDto(MoneyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(
            result.EntryId, !result.Created, result.At, Money.FromMinorUnits(result.AmountMinor).Amount, result.Reference,
            result.Balance.Posted.Amount, MoneyRounding.ForDisplay(result.Balance.Unposted).Amount, Money.FromMinorUnits(result.Balance.AvailableMinor).Amount);
    }

    private static ProblemHttpResult MissingKey() =>
        Problems.Validation(IdempotencyKeys.Header, "Money-moving requests need an Idempotency-Key header, so a retry never moves money twice.");
}
