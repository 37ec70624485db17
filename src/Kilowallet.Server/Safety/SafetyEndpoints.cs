using Kilowallet.Domain;
using Kilowallet.Domain.Control;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Control;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kilowallet.Server.Safety;

/// <summary>/api/v1/meters/{id}/safety-reset: an operator ends a safety trip or an overload lockout, with a reason, audited.</summary>
public static class SafetyEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGroup("/meters/{meterId:long}").WithTags("Safety").RequireAuthorization(Policies.Operate)
            .MapPost("/safety-reset", Reset);

    public sealed record ResetRequest(string? Reason);

    public sealed record ResetDto(long MeterId, SafetyHold PreviousHold, SafetyHold Hold, ControlEndpoints.ControlDto? Control);

    public static async Task<Results<Ok<ResetDto>, NotFound, ProblemHttpResult>> Reset(
        long meterId, ResetRequest request, MeterDirectory directory, SafetyMonitor monitor, SafetyHoldRegistry holds, ControlService control,
        AuditLog audit, KilowalletDb db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return ControlProblems.Invalid("reason", "Say what was done about the cause (e.g. the heater was removed).");
        }

        var id = new MeterId(meterId);
        if (await directory.FindAsync(id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var actor = AuditLog.ActorOf(http.User);
        var previous = await monitor.ResetAsync(id, actor, cancellationToken);
        audit.Record(db, actor, "safety.reset", "meter:" + meterId, new { previous, reason = request.Reason.Trim() });
        await db.SaveChangesAsync(cancellationToken);
        await control.DecideAsync([id], cancellationToken);
        return TypedResults.Ok(new ResetDto(meterId, previous, holds.Get(id), await ControlEndpoints.ViewAsync(id, control, db, clock, cancellationToken)));
    }
}
