using Kilowallet.Domain;
using Kilowallet.Domain.Safety;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Metering;

/// <summary>
/// /api/v1/quarantined-intervals: intervals billing refused (register went backwards, implausible
/// jump, no tariff) and their resolution by an operator — charge the energy really used, or waive it.
/// </summary>
public static class QuarantineEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/quarantined-intervals").WithTags("Billing").RequireAuthorization(Policies.Operate);
        group.MapGet("/", List);
        group.MapPost("/{id:long}/resolve", Resolve);
    }

    public sealed record QuarantineDto(
        long Id, long MeterId, DateTimeOffset FromAt, DateTimeOffset ToAt, decimal FromKwh, decimal ToKwh, QuarantineReason Reason, string? Detail,
        DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt, string? ResolvedBy, string? Resolution);

    /// <summary>action: "charge" (with energyKwh, what the meter really used in the interval) or "waive"; a reason is required.</summary>
    public sealed record ResolveRequest(string? Action, decimal? EnergyKwh, string? Reason);

    public sealed record ResolvedDto(long Id, decimal EnergyKwh, decimal Amount);

    public static async Task<Ok<Page<QuarantineDto>>> List(KilowalletDb db, long? meterId, string? status, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.QuarantinedIntervals.AsNoTracking();
        if (meterId is { } m)
        {
            var id = new MeterId(m);
            query = query.Where(q => q.MeterId == id);
        }

        query = (status ?? "open") switch
        {
            "all" => query,
            "resolved" => query.Where(q => q.ResolvedAt != null),
            _ => query.Where(q => q.ResolvedAt == null),
        };
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(q => q.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<QuarantineDto>(
            items.ConvertAll(q => new QuarantineDto(q.Id, q.MeterId.Value, q.FromAt, q.ToAt, q.FromScaledWh / 1000m, q.ToScaledWh / 1000m, q.Reason, q.Detail, q.RaisedAt, q.ResolvedAt, q.ResolvedBy, q.Resolution)),
            total,
            paging.Offset,
            paging.Limit));
    }

    public static async Task<Results<Ok<ResolvedDto>, NotFound, ProblemHttpResult>> Resolve(
        long id, ResolveRequest request, ReadingBiller biller, KilowalletDb db, Alarms.AlarmService alarms, AuditLog audit, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var action = request.Action?.Trim().ToLowerInvariant();
        if (action is not ("charge" or "waive"))
        {
            return Problems.Validation("action", "Say whether to charge the interval or waive it.");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Problems.Validation("reason", "A reason is required.");
        }

        long? energyWh = null;
        if (action == "charge")
        {
            if (request.EnergyKwh is not { } kwh || kwh <= 0 || kwh > 1_000_000m || decimal.Round(kwh, 3) != kwh)
            {
                return Problems.Validation("energyKwh", "Give the energy used in the interval: more than 0 kWh, at most 3 decimals.");
            }

            energyWh = (long)(kwh * 1000m);
        }

        var interval = await db.QuarantinedIntervals.AsNoTracking().SingleOrDefaultAsync(q => q.Id == id, cancellationToken);
        if (interval is null)
        {
            return TypedResults.NotFound();
        }

        var actor = AuditLog.ActorOf(http.User);
        (long EnergyWh, Money Amount) done;
        try
        {
            done = await biller.ResolveQuarantineAsync(id, energyWh, $"{action}: {request.Reason.Trim()}", actor, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            return Problems.Refused("action", ex.Message);
        }

        audit.Record(db, actor, "quarantine.resolved", "meter:" + interval.MeterId.Value, new { interval = id, action, energyWh, amount = done.Amount.Amount, reason = request.Reason.Trim() });
        await db.SaveChangesAsync(cancellationToken);

        // The meter's alarm closes when none of its intervals of that kind is still waiting.
        var type = interval.Reason switch
        {
            QuarantineReason.RegisterWentBackwards => AlarmType.RegisterWentBackwards,
            QuarantineReason.NoTariffInForce => AlarmType.NoTariff,
            _ => AlarmType.ImplausibleConsumption,
        };
        var meter = interval.MeterId;
        var reason = interval.Reason;
        if (!await db.QuarantinedIntervals.AnyAsync(q => q.MeterId == meter && q.Reason == reason && q.ResolvedAt == null, cancellationToken))
        {
            await alarms.ApplyAsync([AlarmSignal.Clear(type, new AlarmSource(AlarmSourceKind.Meter, meter.Value), clock.GetUtcNow(), "resolved: " + request.Reason.Trim(), actor)], cancellationToken);
        }

        return TypedResults.Ok(new ResolvedDto(id, done.EnergyWh / 1000m, MoneyRounding.ForDisplay(done.Amount).Amount));
    }
}
