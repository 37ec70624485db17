using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Tariffs;

/// <summary>/api/v1/tariffs: plans and versions in the plan file format (docs/tariffs.md), assignments, holidays.</summary>
public static class TariffEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/tariffs").WithTags("Tariffs").RequireAuthorization(Policies.Operate);
        group.MapGet("/", List);
        group.MapGet("/{planId:long}", Get);
        group.MapPost("/", Create);
        group.MapPost("/{planId:long}/versions", AddVersion);
        group.MapDelete("/{planId:long}/versions/latest", Withdraw);
        group.MapPost("/{planId:long}/assignments", Assign);
        group.MapGet("/assignments", ListAssignments);
        var sites = api.MapGroup("/sites/{siteId:long}/holidays").WithTags("Tariffs").RequireAuthorization(Policies.Operate);
        sites.MapGet("/", Holidays);
        sites.MapPut("/", SetHolidays);
    }

    /// <summary>A plan with its version history, the version in force today at the site and how many meters it prices today.</summary>
    public sealed record PlanSummaryDto(long Id, long SiteId, string Code, string Name, string Currency, IReadOnlyList<VersionSummaryDto> Versions, int? CurrentVersion, int AssignedMeters);

    public sealed record VersionSummaryDto(int Number, DateOnly EffectiveFrom, bool InForce, string CreatedBy, DateTimeOffset CreatedAt);

    public sealed record PlanDto(long Id, long SiteId, PlanSummaryDto Summary, JsonElement Plan);

    public sealed record CreatePlanRequest(long SiteId, JsonElement Plan);

    public sealed record AssignRequest(long? AccountId, long? MeterId, DateOnly From);

    public sealed record AssignmentDto(long Id, long PlanId, string PlanCode, long? AccountId, long? MeterId, DateOnly From, DateOnly? Until, string CreatedBy);

    public sealed record HolidayDto(DateOnly Date, string Name, bool WorkingDay);

    /// <summary>Plans by code, filtered by site or a search in the code or name.</summary>
    public static async Task<Ok<Page<PlanSummaryDto>>> List(
        KilowalletDb db, TariffCatalog catalog, TimeProvider clock, long? siteId, string? search, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.TariffPlans.AsNoTracking().Where(p => siteId == null || p.SiteId == new SiteId(siteId.Value));
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(p => p.Code.Contains(term) || p.Name.Contains(term));
        }

        var total = await query.CountAsync(cancellationToken);
        var plans = await query.OrderBy(p => p.Code).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        var result = new List<PlanSummaryDto>();
        var counts = new Dictionary<SiteId, IReadOnlyDictionary<long, int>>();
        foreach (var plan in plans)
        {
            if (!counts.TryGetValue(plan.SiteId, out var siteCounts))
            {
                var today = (await catalog.CalendarAsync(plan.SiteId, cancellationToken)).LocalDateOf(clock.GetUtcNow());
                siteCounts = counts[plan.SiteId] = await TariffUsage.MeterCountsAsync(db, plan.SiteId, today, cancellationToken);
            }

            result.Add(await SummaryAsync(db, catalog, clock, plan, cancellationToken, siteCounts));
        }

        return TypedResults.Ok(new Page<PlanSummaryDto>(result, total, paging.Offset, paging.Limit));
    }

    public static async Task<Results<Ok<PlanDto>, NotFound>> Get(long planId, KilowalletDb db, TariffCatalog catalog, TimeProvider clock, CancellationToken cancellationToken)
    {
        var record = await db.TariffPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        var plan = record is null ? null : await catalog.PlanAsync(planId, cancellationToken);
        if (record is null || plan is null)
        {
            return TypedResults.NotFound();
        }

        var json = JsonDocument.Parse(TariffPlanJson.Serialize(plan)).RootElement.Clone();
        return TypedResults.Ok(new PlanDto(record.Id, record.SiteId.Value, await SummaryAsync(db, catalog, clock, record, cancellationToken), json));
    }

    public static async Task<Results<Created<PlanSummaryDto>, ProblemHttpResult, NotFound>> Create(
        CreatePlanRequest request, TariffService tariffs, KilowalletDb db, TariffCatalog catalog, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Plan.ValueKind is not JsonValueKind.Object)
        {
            return Problems.Validation("plan", "A plan (a JSON object) is required.");
        }

        return await Run(async () =>
        {
            var record = await tariffs.CreatePlanAsync(new SiteId(request.SiteId), request.Plan.GetRawText(), AuditLog.ActorOf(http.User), cancellationToken);
            return TypedResults.Created($"/api/v1/tariffs/{record.Id}", await SummaryAsync(db, catalog, clock, record, cancellationToken));
        });
    }

    public static async Task<Results<Created<PlanSummaryDto>, ProblemHttpResult, NotFound>> AddVersion(
        long planId, JsonElement version, TariffService tariffs, KilowalletDb db, TariffCatalog catalog, TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        await Run(async () =>
        {
            await tariffs.AddVersionAsync(planId, version.GetRawText(), AuditLog.ActorOf(http.User), cancellationToken);
            var record = await db.TariffPlans.AsNoTracking().SingleAsync(p => p.Id == planId, cancellationToken);
            return TypedResults.Created($"/api/v1/tariffs/{planId}", await SummaryAsync(db, catalog, clock, record, cancellationToken));
        });

    public static async Task<Results<NoContent, ProblemHttpResult, NotFound>> Withdraw(long planId, TariffService tariffs, HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            await tariffs.WithdrawLatestVersionAsync(planId, AuditLog.ActorOf(http.User), cancellationToken);
            return TypedResults.NoContent();
        }
        catch (TariffProblemException ex) when (ex.NotFound)
        {
            return TypedResults.NotFound();
        }
        catch (TariffProblemException ex)
        {
            return Problems.Validation(ex.Errors.ToDictionary(e => e.Key, e => e.Value));
        }
    }

    public static async Task<Results<Created<AssignmentDto>, ProblemHttpResult, NotFound>> Assign(
        long planId, AssignRequest request, TariffService tariffs, KilowalletDb db, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await Run(async () =>
        {
            var row = await tariffs.AssignAsync(
                planId,
                request.AccountId is { } a ? new AccountId(a) : null,
                request.MeterId is { } m ? new MeterId(m) : null,
                request.From,
                AuditLog.ActorOf(http.User),
                cancellationToken);
            var code = await db.TariffPlans.Where(p => p.Id == planId).Select(p => p.Code).SingleAsync(cancellationToken);
            return TypedResults.Created($"/api/v1/tariffs/assignments?planId={planId}", ToDto(row, code));
        });
    }

    /// <summary>Plan assignments, oldest first, filtered by account, meter or plan.</summary>
    public static async Task<Ok<Page<AssignmentDto>>> ListAssignments(
        KilowalletDb db, long? accountId, long? meterId, long? planId, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = from a in db.TariffAssignments.AsNoTracking()
                    join p in db.TariffPlans on a.PlanId equals p.Id
                    select new { a, p.Code };
        if (accountId is { } account)
        {
            AccountId? key = new AccountId(account);
            query = query.Where(x => x.a.AccountId == key);
        }

        if (meterId is { } meter)
        {
            MeterId? key = new MeterId(meter);
            query = query.Where(x => x.a.MeterId == key);
        }

        if (planId is { } plan)
        {
            query = query.Where(x => x.a.PlanId == plan);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(x => x.a.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<AssignmentDto>(rows.ConvertAll(x => ToDto(x.a, x.Code)), total, paging.Offset, paging.Limit));
    }

    public static async Task<Ok<IReadOnlyList<HolidayDto>>> Holidays(long siteId, KilowalletDb db, CancellationToken cancellationToken)
    {
        var site = new SiteId(siteId);
        var rows = await db.SiteHolidays.AsNoTracking().Where(h => h.SiteId == site).OrderBy(h => h.Date).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<HolidayDto>>(rows.ConvertAll(h => new HolidayDto(h.Date, h.Name, h.WorkingDay)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult, NotFound>> SetHolidays(long siteId, IReadOnlyList<HolidayDto> holidays, TariffService tariffs, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        try
        {
            var site = new SiteId(siteId);
            await tariffs.SetHolidaysAsync(site, [.. holidays.Select(h => new SiteHoliday { SiteId = site, Date = h.Date, Name = h.Name ?? string.Empty, WorkingDay = h.WorkingDay })], AuditLog.ActorOf(http.User), cancellationToken);
            return TypedResults.NoContent();
        }
        catch (TariffProblemException ex)
        {
            return Problems.Validation(ex.Errors.ToDictionary(e => e.Key, e => e.Value));
        }
        catch (InvalidOperationException)
        {
            return TypedResults.NotFound();
        }
    }

    private static async Task<Results<Created<T>, ProblemHttpResult, NotFound>> Run<T>(Func<Task<Created<T>>> action)
    {
        try
        {
            return await action();
        }
        catch (TariffProblemException ex) when (ex.NotFound)
        {
            return TypedResults.NotFound();
        }
        catch (TariffProblemException ex)
        {
            return Problems.Validation(ex.Errors.ToDictionary(e => e.Key, e => e.Value));
        }
    }

    private static async Task<PlanSummaryDto> SummaryAsync(
        KilowalletDb db, TariffCatalog catalog, TimeProvider clock, TariffPlanRecord plan, CancellationToken cancellationToken, IReadOnlyDictionary<long, int>? meterCounts = null)
    {
        var calendar = await catalog.CalendarAsync(plan.SiteId, cancellationToken);
        var versions = await db.TariffVersions.AsNoTracking().Where(v => v.PlanId == plan.Id).OrderBy(v => v.Number).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        meterCounts ??= await TariffUsage.MeterCountsAsync(db, plan.SiteId, calendar.LocalDateOf(now), cancellationToken);
        var summaries = versions.ConvertAll(v => new VersionSummaryDto(v.Number, v.EffectiveFrom, calendar.StartOf(v.EffectiveFrom) <= now, v.CreatedBy, v.CreatedAt));
        return new PlanSummaryDto(
            plan.Id, plan.SiteId.Value, plan.Code, plan.Name, plan.Currency, summaries,
            summaries.LastOrDefault(v => v.InForce)?.Number, meterCounts.GetValueOrDefault(plan.Id));
    }

    private static AssignmentDto ToDto(TariffAssignmentRecord a, string code) =>
        new(a.Id, a.PlanId, code, a.AccountId?.Value, a.MeterId?.Value, a.From, a.Until, a.CreatedBy);
}
