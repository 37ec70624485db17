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
        long Id, string Key, string Type, AlarmSeverity Severity, AlarmSourceKind SourceKind, long SourceId, string Detail,
        DateTimeOffset RaisedAt, DateTimeOffset LastSeenAt, int Occurrences, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy,
        DateTimeOffset? ClearedAt, string? ClearedBy);

    public sealed record ClearRequest(string? Reason);

    /// <summary>status: open (default), all, or cleared.</summary>
    public static async Task<Ok<Page<AlarmDto>>> List(KilowalletDb db, string? status, AlarmSeverity? severity, AlarmSourceKind? sourceKind, long? sourceId, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.Alarms.AsNoTracking();
        query = (status ?? "open") switch
        {
            "all" => query,
            "cleared" => query.Where(a => a.ClearedAt != null),
            _ => query.Where(a => a.ClearedAt == null),
        };
        if (severity is { } s)
        {
            query = query.Where(a => a.Severity == s);
        }

        if (sourceKind is { } kind)
        {
            query = query.Where(a => a.SourceKind == kind);
        }

        if (sourceId is { } source)
        {
            query = query.Where(a => a.SourceId == source);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.Severity).ThenByDescending(a => a.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<AlarmDto>(items.ConvertAll(ToDto), total, paging.Offset, paging.Limit));
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

    private static AlarmDto ToDto(AlarmRecord a) => new(
        a.Id, a.Key, AlarmCatalog.Code(a.Type), a.Severity, a.SourceKind, a.SourceId, a.Detail, a.RaisedAt, a.LastSeenAt, a.Occurrences,
        a.AcknowledgedAt, a.AcknowledgedBy, a.ClearedAt, a.ClearedBy);
}
