using System.Globalization;
using System.Security.Claims;
using Kilowallet.Domain;
using Kilowallet.Domain.Notifications;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// /api/v1 notification endpoints: tenants' notification settings (operators, and tenants for
/// themselves), the outbox for support staff, a signed-in person's in-app inbox, and test sends.
/// </summary>
public static class NotificationEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var tenants = api.MapGroup("/tenants/{tenantId:long}/notification-settings").WithTags("Notifications");
        tenants.MapGet("/", GetSettings).RequireAuthorization(Policies.Operate);
        tenants.MapPut("/", PutSettings).RequireAuthorization(Policies.Operate);

        var outbox = api.MapGroup("/notifications").WithTags("Notifications");
        outbox.MapGet("/", List).RequireAuthorization(Policies.Operate);
        outbox.MapPost("/{id:long}/retry", Retry).RequireAuthorization(Policies.Operate);
        outbox.MapPost("/test", Test).RequireAuthorization(Policies.Admin);

        var me = api.MapGroup("/me").WithTags("Notifications");
        me.MapGet("/notifications", Inbox).RequireAuthorization();
        me.MapPost("/notifications/{id:long}/read", MarkRead).RequireAuthorization();
        me.MapGet("/notification-settings", GetMySettings).RequireAuthorization(Policies.Tenant);
        me.MapPut("/notification-settings", PutMySettings).RequireAuthorization(Policies.Tenant);
    }

    /// <summary>Quiet hours as local times of the site, "HH:mm"; the window may cross midnight (22:00–08:00).</summary>
    public sealed record QuietHoursDto(string Start, string End);

    public sealed record SettingsDto(long TenantId, bool Sms, bool Email, bool InApp, QuietHoursDto? QuietHours, Language? Language, bool IsDefault);

    public sealed record SettingsRequest(bool Sms, bool Email, bool InApp, QuietHoursDto? QuietHours, Language? Language);

    public sealed record OutboxDto(
        long Id, string Kind, string EventKey, NotificationChannel Channel, OutboxStatus Status, RecipientKind RecipientKind,
        long? TenantId, string? UserId, long? SubscriptionId, long? AccountId, string Address, Language Language, string Subject, string Body,
        DateTimeOffset CreatedAt, DateTimeOffset NotBefore, DateTimeOffset NextAttemptAt, int Attempts, DateTimeOffset? SentAt, DateTimeOffset? ReadAt, string? LastError);

    public sealed record InboxItemDto(long Id, string Kind, string Title, string Body, DateTimeOffset At, bool Read);

    public sealed record TestRequest(string Channel, string? Address, long? SubscriptionId, Language? Language);

    public sealed record TestResultDto(bool Delivered, string Channel, string? Error);

    public static async Task<Results<Ok<SettingsDto>, NotFound>> GetSettings(long tenantId, KilowalletDb db, CancellationToken cancellationToken)
    {
        var id = new TenantId(tenantId);
        if (!await db.Tenants.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var stored = await db.NotificationSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == id, cancellationToken);
        return TypedResults.Ok(ToDto(stored ?? TenantNotificationSettings.Defaults(id), stored is null));
    }

    public static async Task<Results<Ok<SettingsDto>, NotFound, ProblemHttpResult>> PutSettings(
        long tenantId, SettingsRequest request, KilowalletDb db, AuditLog audit, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        var id = new TenantId(tenantId);
        if (!await db.Tenants.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        int? start = null;
        int? end = null;
        if (request.QuietHours is { } quiet)
        {
            if (!TryParseTime(quiet.Start, out var from) || !TryParseTime(quiet.End, out var to))
            {
                return Problems.Validation("quietHours", "Quiet hours are local times of day as HH:mm, e.g. 22:00 and 08:00.");
            }

            if (from == to)
            {
                return Problems.Validation("quietHours", "Quiet hours need different start and end times.");
            }

            start = from;
            end = to;
        }

        if (request.Language is { } language && !Enum.IsDefined(language))
        {
            return Problems.Validation("language", "Unknown language.");
        }

        var settings = await db.NotificationSettings.SingleOrDefaultAsync(s => s.TenantId == id, cancellationToken);
        if (settings is null)
        {
            settings = new TenantNotificationSettings { TenantId = id };
            db.NotificationSettings.Add(settings);
        }

        settings.SmsEnabled = request.Sms;
        settings.EmailEnabled = request.Email;
        settings.InAppEnabled = request.InApp;
        settings.QuietStartMinute = start;
        settings.QuietEndMinute = end;
        settings.Language = request.Language;
        settings.UpdatedAt = clock.GetUtcNow();
        audit.Record(db, AuditLog.ActorOf(http.User), "notification-settings.changed", "tenant:" + tenantId.ToString(CultureInfo.InvariantCulture), request, http.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToDto(settings, false));
    }

    public static async Task<Results<Ok<SettingsDto>, NotFound, ForbidHttpResult>> GetMySettings(KilowalletDb db, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (TenantClaims.TenantIdOf(http.User) is not { } tenant)
        {
            return TypedResults.Forbid();
        }

        var result = await GetSettings(tenant.Value, db, cancellationToken);
        return result.Result is Ok<SettingsDto> ok ? ok : TypedResults.NotFound();
    }

    public static async Task<Results<Ok<SettingsDto>, NotFound, ProblemHttpResult, ForbidHttpResult>> PutMySettings(
        SettingsRequest request, KilowalletDb db, AuditLog audit, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (TenantClaims.TenantIdOf(http.User) is not { } tenant)
        {
            return TypedResults.Forbid();
        }

        var result = await PutSettings(tenant.Value, request, db, audit, clock, http, cancellationToken);
        return result.Result switch
        {
            Ok<SettingsDto> ok => ok,
            ProblemHttpResult problem => problem,
            _ => TypedResults.NotFound(),
        };
    }

    /// <summary>The outbox, newest first, for support staff: what was sent to whom, what is waiting and why.</summary>
    public static async Task<Results<Ok<Page<OutboxDto>>, ProblemHttpResult>> List(
        KilowalletDb db, long? tenantId, long? accountId, string? channel, string? status, string? kind, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.NotificationOutbox.AsNoTracking();
        if (tenantId is { } tenant)
        {
            var key = new TenantId(tenant);
            query = query.Where(m => m.TenantId == key);
        }

        if (accountId is { } account)
        {
            var key = new AccountId(account);
            query = query.Where(m => m.AccountId == key);
        }

        if (channel is not null)
        {
            if (!TryParseChannel(channel, out var wanted))
            {
                return Problems.Validation("channel", "The channel is sms, email, webhook or inApp.");
            }

            query = query.Where(m => m.Channel == wanted);
        }

        if (status is not null)
        {
            if (!Enum.TryParse<OutboxStatus>(status, ignoreCase: true, out var wanted) || !Enum.IsDefined(wanted))
            {
                return Problems.Validation("status", "The status is pending, sent, failed or skipped.");
            }

            query = query.Where(m => m.Status == wanted);
        }

        if (kind is not null)
        {
            if (Enum.GetValues<NotificationKind>().Where(k => NotificationRules.Code(k) == kind).Select(k => (NotificationKind?)k).FirstOrDefault() is not { } wanted)
            {
                return Problems.Validation("kind", $"The kind is one of {string.Join(", ", WebhookEvents.Codes)}.");
            }

            query = query.Where(m => m.Kind == wanted);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(m => m.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<OutboxDto>(items.ConvertAll(ToDto), total, paging.Offset, paging.Limit));
    }

    /// <summary>Puts a failed or skipped message back in the queue, due now, with a fresh count of attempts.</summary>
    public static async Task<Results<Ok<OutboxDto>, NotFound, ProblemHttpResult>> Retry(
        long id, KilowalletDb db, AuditLog audit, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var message = await db.NotificationOutbox.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is null)
        {
            return TypedResults.NotFound();
        }

        if (message.Status is not (OutboxStatus.Failed or OutboxStatus.Skipped))
        {
            return Problems.Conflict($"Message {id} is {message.Status.ToString().ToLowerInvariant()}; only failed or skipped messages are retried.");
        }

        message.Status = OutboxStatus.Pending;
        message.Attempts = 0;
        message.NextAttemptAt = clock.GetUtcNow();
        message.LastError = null;
        audit.Record(db, AuditLog.ActorOf(http.User), "notification.retry", "notification:" + id.ToString(CultureInfo.InvariantCulture), null, http.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToDto(message));
    }

    /// <summary>The signed-in person's in-app messages, newest first: a tenant's, or a staff user's (operator alarms).</summary>
    public static async Task<Results<Ok<Page<InboxItemDto>>, ForbidHttpResult>> Inbox(
        KilowalletDb db, HttpContext http, bool? unreadOnly, int? offset, int? limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (InboxOf(db, http.User) is not { } query)
        {
            return TypedResults.Forbid();
        }

        if (unreadOnly == true)
        {
            query = query.Where(m => m.ReadAt == null);
        }

        var paging = Paging.From(offset, limit);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(m => m.Id).Skip(paging.Offset).Take(paging.Limit)
            .Select(m => new { m.Id, m.Kind, m.Subject, m.Body, m.SentAt, m.CreatedAt, m.ReadAt })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<InboxItemDto>(
            items.ConvertAll(m => new InboxItemDto(m.Id, NotificationRules.Code(m.Kind), m.Subject, m.Body, m.SentAt ?? m.CreatedAt, m.ReadAt is not null)),
            total,
            paging.Offset,
            paging.Limit));
    }

    public static async Task<Results<NoContent, NotFound, ForbidHttpResult>> MarkRead(long id, KilowalletDb db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (InboxOf(db, http.User) is not { } query)
        {
            return TypedResults.Forbid();
        }

        var message = await query.AsTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is null)
        {
            return TypedResults.NotFound();
        }

        message.ReadAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Sends a test message straight through a channel (not through the outbox) and says whether it was accepted.</summary>
    public static async Task<Results<Ok<TestResultDto>, ProblemHttpResult>> Test(
        TestRequest request, IEnumerable<INotificationChannel> channels, KilowalletDb db, IOptions<NotificationOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        if (!TryParseChannel(request.Channel, out var kind))
        {
            return Problems.Validation("channel", "The channel is sms, email, webhook or inApp.");
        }

        var channel = channels.Single(c => c.Channel == kind);
        var language = request.Language ?? Language.English;
        WebhookTarget? webhook = null;
        var address = request.Address?.Trim();
        if (kind == NotificationChannel.Webhook)
        {
            var subscription = request.SubscriptionId is { } sid ? await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(w => w.Id == sid, cancellationToken) : null;
            if (subscription is null)
            {
                return Problems.Validation("subscriptionId", "A webhook test needs the id of a webhook subscription.");
            }

            webhook = new WebhookTarget(subscription.Id, new Uri(subscription.Url), subscription.Secret);
            address = subscription.Url;
        }
        else if (string.IsNullOrEmpty(address))
        {
            return Problems.Validation("address", "A test message needs an address: a phone number, an email address or an inbox.");
        }

        var now = clock.GetUtcNow();
        var id = "test-" + Guid.NewGuid().ToString("N");
        var text = language == Language.English
            ? "Kilowallet test message: this channel works."
            : "Kilowallet测试消息：此通知渠道工作正常。";
        var body = kind == NotificationChannel.Webhook
            ? System.Text.Json.JsonSerializer.Serialize(new { id, type = "test", occurredAt = now, text })
            : text;
        var message = new OutboundMessage(id, id, "test", kind, address!, language, language == Language.English ? "Kilowallet test" : "Kilowallet测试", body) { Webhook = webhook };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.SendTimeout);
        DeliveryResult result;
        try
        {
            result = await channel.SendAsync(message, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = DeliveryResult.Retry("No answer within the send timeout.");
        }

        return TypedResults.Ok(new TestResultDto(result.Outcome == DeliveryOutcome.Delivered, NotificationOutbox.ChannelCode(kind), result.Error));
    }

    private static IQueryable<OutboxMessage>? InboxOf(KilowalletDb db, ClaimsPrincipal user)
    {
        var query = db.NotificationOutbox.AsNoTracking().Where(m => m.Channel == NotificationChannel.InApp && m.Status == OutboxStatus.Sent);
        if (TenantClaims.TenantIdOf(user) is { } tenant)
        {
            return query.Where(m => m.RecipientKind == RecipientKind.Tenant && m.TenantId == tenant);
        }

        if (user.IsInRole(Roles.Tenant) || user.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName
            || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { Length: > 0 } userId)
        {
            return null;
        }

        return query.Where(m => m.RecipientKind == RecipientKind.Operator && m.UserId == userId);
    }

    private static bool TryParseChannel(string? text, out NotificationChannel channel)
    {
        var normalized = (text ?? string.Empty).Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        return Enum.TryParse(normalized, ignoreCase: true, out channel) && Enum.IsDefined(channel) && !int.TryParse(normalized, out _);
    }

    private static bool TryParseTime(string? text, out int minutes)
    {
        minutes = 0;
        if (!TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return false;
        }

        minutes = (time.Hour * 60) + time.Minute;
        return true;
    }

    private static string Time(int minutes) => TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(minutes)).ToString("HH:mm", CultureInfo.InvariantCulture);

    private static SettingsDto ToDto(TenantNotificationSettings s, bool isDefault) => new(
        s.TenantId.Value,
        s.SmsEnabled,
        s.EmailEnabled,
        s.InAppEnabled,
        s is { QuietStartMinute: { } start, QuietEndMinute: { } end } ? new QuietHoursDto(Time(start), Time(end)) : null,
        s.Language,
        isDefault);

    private static OutboxDto ToDto(OutboxMessage m) => new(
        m.Id, NotificationRules.Code(m.Kind), m.EventKey, m.Channel, m.Status, m.RecipientKind, m.TenantId?.Value, m.UserId, m.SubscriptionId, m.AccountId?.Value,
        m.Address, m.Language, m.Subject, m.Body, m.CreatedAt, m.NotBefore, m.NextAttemptAt, m.Attempts, m.SentAt, m.ReadAt, m.LastError);
}
