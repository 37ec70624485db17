using System.Text.Json;
using Kilowallet.Domain.Safety;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Alarms;

/// <summary>/api/v1/alarms: open alarms by severity, acknowledgement, history, and a live stream.</summary>
public static class AlarmEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/alarms").WithTags("Alarms").RequireAuthorization(Policies.Operate);
        group.MapGet("/", List);
        group.MapPost("/{id:long}/acknowledge", Acknowledge);
        group.MapPost("/{id:long}/clear", Clear);
        group.MapGet("/stream", Stream).ExcludeFromDescription();
    }

    public sealed record AlarmDto(
        long Id, string Key, string Type, AlarmSeverity Severity, AlarmSourceKind SourceKind, long SourceId, string SourceName, bool ClearsAutomatically, string Detail,
        DateTimeOffset RaisedAt, DateTimeOffset LastSeenAt, int Occurrences, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy,
        DateTimeOffset? ClearedAt, string? ClearedBy);

    public sealed record ClearRequest(string? Reason);

    /// <summary>status: open (default), all, or cleared; type: an alarm code such as "overload".</summary>
    public static async Task<Ok<Page<AlarmDto>>> List(AlarmQuery alarms, string? status, AlarmSeverity? severity, string? type, AlarmSourceKind? sourceKind, long? sourceId, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var (items, total) = await alarms.ListAsync(new AlarmQuery.Filter(status, severity, type, sourceKind, sourceId), paging, cancellationToken);
        return TypedResults.Ok(new Page<AlarmDto>([.. items.Select(ToDto)], total, paging.Offset, paging.Limit));
    }

    public static async Task<Results<NoContent, NotFound>> Acknowledge(long id, AlarmService alarms, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (!await db.Alarms.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        if (await alarms.AcknowledgeAsync(id, AuditLog.ActorOf(http.User), cancellationToken))
        {
            audit.Record(db, AuditLog.ActorOf(http.User), "alarm.acknowledged", "alarm:" + id);
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }

    /// <summary>Clears an alarm that does not clear by itself (e.g. a failed relay command) once an operator has dealt with it.</summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Clear(long id, ClearRequest request, AlarmService alarms, KilowalletDb db, AuditLog audit, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var alarm = await db.Alarms.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alarm is null)
        {
            return TypedResults.NotFound();
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Problems.Validation("reason", "Say how the cause was dealt with.");
        }

        var actor = AuditLog.ActorOf(http.User);
        var source = new AlarmSource(alarm.SourceKind, alarm.SourceId);
        await alarms.ApplyAsync([AlarmSignal.Clear(alarm.Type, source, clock.GetUtcNow(), request.Reason.Trim(), actor)], cancellationToken);
        audit.Record(db, actor, "alarm.cleared", "alarm:" + id, new { reason = request.Reason });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Server-sent events: one "alarm" event per change, for the console's live alarm list.</summary>
    public static async Task Stream(HttpContext http, AlarmService alarms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        using var subscription = alarms.Subscribe();
        await http.Response.WriteAsync(": connected\n\n", cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
        try
        {
            await foreach (var change in subscription.Reader.ReadAllAsync(cancellationToken))
            {
                await http.Response.WriteAsync("event: alarm\ndata: " + JsonSerializer.Serialize(change, JsonSerializerOptions.Web) + "\n\n", cancellationToken);
                await http.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The browser went away.
        }
    }

    private static AlarmDto ToDto(AlarmQuery.AlarmView view)
    {
        var a = view.Alarm;
        return new(
            a.Id, a.Key, AlarmCatalog.Code(a.Type), a.Severity, a.SourceKind, a.SourceId, view.SourceName, view.ClearsAutomatically, a.Detail, a.RaisedAt, a.LastSeenAt, a.Occurrences,
            a.AcknowledgedAt, a.AcknowledgedBy, a.ClearedAt, a.ClearedBy);
    }
}
