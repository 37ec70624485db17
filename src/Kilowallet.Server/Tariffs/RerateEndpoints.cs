using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kilowallet.Server.Tariffs;

/// <summary>
/// POST /api/v1/accounts/{accountId}/rerate: prices a past period of the account's metered usage again
/// under a plan; a preview by default, and with <c>apply</c> one audited adjustment of the difference.
/// </summary>
public static class RerateEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/accounts/{accountId:long}/rerate", Rerate).WithTags("Tariffs").RequireAuthorization(Policies.Operate)
            .WithMetadata(new IdempotencyKeyMetadata(Required: false)); // required when applying; a preview needs none

    public sealed record RerateRequest(long? PlanId, DateOnly? From, DateOnly? To, string? Reason, bool Apply);

    public sealed record RerateLineDto(DateOnly Date, string Band, decimal OldKwh, decimal OldAmount, decimal NewKwh, decimal NewAmount, decimal Difference);

    public sealed record RerateProblemDto(long MeterId, DateTimeOffset Start, DateTimeOffset End, long EnergyWh, string Reason, string? Detail);

    /// <summary>
    /// Amounts are exact; <c>Adjustment</c> is what the ledger credits the tenant in whole fen (minus the
    /// difference). Lines and problems are empty for a replayed apply (the stored result is returned).
    /// </summary>
    public sealed record RerateResultDto(
        long AccountId, long PlanId, string PlanCode, DateOnly From, DateOnly To,
        IReadOnlyList<RerateLineDto> Lines, IReadOnlyList<RerateProblemDto> Problems, IReadOnlyList<long> Meters, IReadOnlyList<long> SharedMeters,
        decimal OldAmount, decimal NewAmount, decimal Difference, decimal Adjustment,
        bool Applied, bool Replayed, long? EntryId);

    public static async Task<Results<Ok<RerateResultDto>, Created<RerateResultDto>, ProblemHttpResult, NotFound>> Rerate(
        long accountId, RerateRequest request, HttpContext http, Rerater rerater, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        var account = new AccountId(accountId);
        if (await rerater.AccountSiteAsync(account, clock.GetUtcNow(), cancellationToken) is not { } where)
        {
            return TypedResults.NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        (SiteId Site, string Code, TariffPlan Plan)? plan = null;
        if (request.PlanId is not { } planId)
        {
            errors["planId"] = ["The tariff plan to price the period under is required."];
        }
        else if ((plan = await rerater.PlanAsync(planId, cancellationToken)) is null)
        {
            errors["planId"] = ["There is no such tariff plan."];
        }
        else if (plan.Value.Site != where.Site)
        {
            errors["planId"] = ["The plan belongs to another site than the account."];
        }

        if (request.From is not { } from)
        {
            errors["from"] = ["The first local date of the period is required."];
        }

        if (request.To is not { } to)
        {
            errors["to"] = ["The last local date of the period is required."];
        }
        else if (to > where.Today)
        {
            errors["to"] = ["The period cannot end after today."];
        }
        else if (request.From is { } start && to < start)
        {
            errors["to"] = ["The period ends before it starts."];
        }
        else if (request.From is { } first && to.DayNumber - first.DayNumber + 1 > Rerater.MaxDays)
        {
            errors["to"] = [$"A re-rating covers at most {Rerater.MaxDays} days."];
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["A reason is required."];
        }
        else if (request.Reason.Trim().Length > 300)
        {
            errors["reason"] = ["The reason is at most 300 characters."];
        }

        IdempotencyKey? key = null;
        if (request.Apply && (key = IdempotencyKeys.FromRequest(http)) is null)
        {
            errors[IdempotencyKeys.Header] = ["Applying a re-rating moves money: it needs an Idempotency-Key header, so a retry never posts twice."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var period = new Rerater.Period(account, where.Site, request.PlanId!.Value, plan!.Value.Code, plan.Value.Plan, request.From!.Value, request.To!.Value);
        if (key is { } applyKey && await rerater.FindAppliedAsync(account, applyKey, cancellationToken) is { } earlier)
        {
            return TypedResults.Ok(FromApplied(earlier, replayed: true));
        }

        var preview = await rerater.PreviewAsync(period, cancellationToken);
        var dto = new RerateResultDto(
            accountId, period.PlanId, period.PlanCode, period.From, period.To,
            [.. preview.Lines.Select(ToDto)],
            [.. preview.Problems.Select(p => new RerateProblemDto(p.Meter.Value, p.Problem.Interval.Start, p.Problem.Interval.End, p.Problem.Interval.EnergyWh, p.Problem.Result.Reason.ToString(), p.Problem.Result.Detail))],
            [.. preview.Meters.Select(m => m.Value)],
            [.. preview.SharedMeters.Select(m => m.Value)],
            preview.OldAmount.Amount, preview.NewAmount.Amount, preview.Difference.Amount, preview.Adjustment,
            Applied: false, Replayed: false, EntryId: null);
        if (key is not { } idempotencyKey)
        {
            return TypedResults.Ok(dto);
        }

        if (preview.SharedMeters.Count > 0)
        {
            return Problems.Refused(
                "from",
                $"Meter(s) {string.Join(", ", preview.SharedMeters.Select(m => m.Value))} were paid by another account during the period: re-rate only the days this account paid for them.");
        }

        try
        {
            var (applied, created) = await rerater.ApplyAsync(preview, request.Reason!, AuditLog.ActorOf(http.User), idempotencyKey, cancellationToken);
            return created
                ? TypedResults.Created($"/api/v1/accounts/{accountId}/rerate", dto with { Applied = true, EntryId = applied.EntryId })
                : TypedResults.Ok(FromApplied(applied, replayed: true));
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
    }

    private static RerateResultDto FromApplied(Rerater.Applied applied, bool replayed) =>
        new(applied.AccountId, applied.PlanId, applied.PlanCode, applied.From, applied.To, [], [], applied.Meters, [],
            applied.OldAmount, applied.NewAmount, applied.Difference, applied.Adjustment, Applied: true, replayed, applied.EntryId);

    private static RerateLineDto ToDto(RerateLine line) =>
        new(line.LocalDate, line.Band.ToString().ToLowerInvariant(), EnergyKwh.FromWattHours(line.OldEnergyWh).Kwh, line.OldAmount.Amount,
            EnergyKwh.FromWattHours(line.NewEnergyWh).Kwh, line.NewAmount.Amount, line.Difference.Amount);
}
