using System.Globalization;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Notifications;

/// <summary>/api/v1/webhook-subscriptions (admin): integrators' endpoints for signed event webhooks.</summary>
public static class WebhookEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/webhook-subscriptions").WithTags("Webhooks").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create);
        group.MapPut("/{id:long}", Update);
        group.MapDelete("/{id:long}", Delete);
    }

    public sealed record SubscriptionDto(long Id, string Url, IReadOnlyList<string> Events, bool Active, string? Description, DateTimeOffset CreatedAt);

    /// <summary>The answer to a create: the only time the signing secret is shown.</summary>
    public sealed record CreatedSubscriptionDto(long Id, string Url, IReadOnlyList<string> Events, bool Active, string? Description, DateTimeOffset CreatedAt, string Secret);

    /// <summary>Events: codes such as "warning-1", "top-up", "operator-alarm", or ["*"] (the default) for all.</summary>
    public sealed record SubscriptionRequest(string Url, IReadOnlyList<string>? Events, bool? Active, string? Description, string? Secret);

    /// <summary>Subscriptions, oldest first, filtered by active state or a search in the URL or description.</summary>
    public static async Task<Ok<Page<SubscriptionDto>>> List(KilowalletDb db, bool? active, string? search, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.WebhookSubscriptions.AsNoTracking();
        if (active is { } wanted)
        {
            query = query.Where(w => w.Active == wanted);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(w => w.Url.Contains(term) || (w.Description != null && w.Description.Contains(term)));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(w => w.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<SubscriptionDto>(items.ConvertAll(ToDto), total, paging.Offset, paging.Limit));
    }

    public static async Task<Results<Ok<SubscriptionDto>, NotFound>> Get(long id, KilowalletDb db, CancellationToken cancellationToken)
    {
        var item = await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id, cancellationToken);
        return item is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(item));
    }

    public static async Task<Results<Created<CreatedSubscriptionDto>, ProblemHttpResult>> Create(
        SubscriptionRequest request, KilowalletDb db, AuditLog audit, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        if (Check(request) is { } problem)
        {
            return problem;
        }

        var subscription = new WebhookSubscription
        {
            Url = request.Url.Trim(),
            Secret = string.IsNullOrWhiteSpace(request.Secret) ? WebhookSignature.NewSecret() : request.Secret,
            EventKinds = WebhookEvents.Normalize(request.Events).Filter!,
            Active = request.Active ?? true,
            Description = request.Description?.Trim(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(db, AuditLog.ActorOf(http.User), "webhook.created", Target(subscription.Id), new { subscription.Url, subscription.EventKinds }, http.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
        var dto = ToDto(subscription);
        return TypedResults.Created(
            $"/api/v1/webhook-subscriptions/{subscription.Id}",
            new CreatedSubscriptionDto(dto.Id, dto.Url, dto.Events, dto.Active, dto.Description, dto.CreatedAt, subscription.Secret));
    }

    /// <summary>Replaces URL, events, active flag and description; a new secret only when one is given.</summary>
    public static async Task<Results<Ok<SubscriptionDto>, NotFound, ProblemHttpResult>> Update(
        long id, SubscriptionRequest request, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        if (Check(request) is { } problem)
        {
            return problem;
        }

        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (subscription is null)
        {
            return TypedResults.NotFound();
        }

        subscription.Url = request.Url.Trim();
        subscription.EventKinds = WebhookEvents.Normalize(request.Events).Filter!;
        subscription.Active = request.Active ?? subscription.Active;
        subscription.Description = request.Description?.Trim();
        if (!string.IsNullOrWhiteSpace(request.Secret))
        {
            subscription.Secret = request.Secret;
        }

        audit.Record(db, AuditLog.ActorOf(http.User), "webhook.updated", Target(id), new { subscription.Url, subscription.EventKinds, subscription.Active, secretChanged = !string.IsNullOrWhiteSpace(request.Secret) }, http.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToDto(subscription));
    }

    /// <summary>Removes a subscription; its undelivered messages are then skipped.</summary>
    public static async Task<Results<NoContent, NotFound>> Delete(long id, KilowalletDb db, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (subscription is null)
        {
            return TypedResults.NotFound();
        }

        db.WebhookSubscriptions.Remove(subscription);
        audit.Record(db, AuditLog.ActorOf(http.User), "webhook.deleted", Target(id), new { subscription.Url }, http.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult? Check(SubscriptionRequest request)
    {
        if (!Uri.TryCreate(request.Url?.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || request.Url!.Length > 2000)
        {
            return Problems.Validation("url", "The URL must be an absolute http or https address.");
        }

        if (WebhookEvents.Normalize(request.Events).Error is { } error)
        {
            return Problems.Validation("events", error);
        }

        if (request.Secret is { Length: > 0 and < 16 } or { Length: > 200 })
        {
            return Problems.Validation("secret", "A secret has 16 to 200 characters (leave it out to have one generated).");
        }

        return request.Description is { Length: > 200 } ? Problems.Validation("description", "The description has at most 200 characters.") : null;
    }

    private static string Target(long id) => "webhook:" + id.ToString(CultureInfo.InvariantCulture);

    private static SubscriptionDto ToDto(WebhookSubscription w) => new(
        w.Id,
        w.Url,
        WebhookEvents.Parse(w.EventKinds) is { } kinds ? kinds.Select(Domain.Notifications.NotificationRules.Code).Order(StringComparer.Ordinal).ToArray() : [WebhookEvents.All],
        w.Active,
        w.Description,
        w.CreatedAt);
}
