using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kilowallet.Domain;
using Kilowallet.Domain.Control;
using Kilowallet.Domain.Notifications;
using Kilowallet.Domain.Safety;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Storage;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// Puts messages into the outbox inside the caller's transaction: one row per recipient and channel,
/// rendered now in the recipient's language, held back to the end of quiet hours where the domain
/// says so. A row whose deduplication key exists already is not written again, so enqueueing the
/// same event twice (a replayed stream, a retried request, two nodes) changes nothing.
/// </summary>
public sealed class NotificationOutbox(
    IEnumerable<INotificationChannel> channels,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<NotificationOutbox> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Dictionary<NotificationChannel, INotificationChannel> _channels = channels.ToDictionary(c => c.Channel);

    /// <summary>
    /// Enqueues the messages of <paramref name="request"/> in the caller's transaction; they are sent
    /// only if that transaction commits. Returns how many new rows were written (0 when the event was
    /// enqueued before, or nobody is to be told).
    /// </summary>
    public async Task<int> EnqueueAsync(DbConnection connection, DbTransaction transaction, NotificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var rows = new List<Row>();
        var values = new TemplateValues { Shop = request.Shop, Amount = request.Amount, Balance = request.Balance, Days = request.Days, Alarm = request.Alarm, Source = request.Source, Detail = request.Detail };
        TenantId? tenantId = null;
        if (NotificationRules.AudienceOf(request.Kind) == NotificationAudience.Tenant)
        {
            var account = request.Account ?? throw new ArgumentException($"A {NotificationRules.Code(request.Kind)} notification needs the account.", nameof(request));
            var facts = await LoadTenantAsync(connection, transaction, account, cancellationToken);
            if (facts is null)
            {
                logger.LogWarning("No notification for {Event}: account {Account} does not exist", request.Key, account);
                return 0;
            }

            tenantId = facts.Tenant;
            var balance = request.Balance ?? Money.FromMinorUnits((await BalanceService.ReadAsync(connection, transaction, account, cancellationToken))?.AvailableMinor ?? 0);
            values = values with { Shop = request.Shop ?? facts.Shop, Balance = balance };
            AddTenantRows(rows, request, facts, values, now);
        }
        else
        {
            var roles = request.OperatorRoles is { Count: > 0 } named ? named : options.Value.AlarmRoles;
            foreach (var user in await LoadOperatorsAsync(connection, transaction, roles, cancellationToken))
            {
                AddOperatorRows(rows, request, user, values, now);
            }
        }

        foreach (var subscription in await LoadSubscriptionsAsync(connection, transaction, cancellationToken))
        {
            if (subscription.Wants(request.Kind))
            {
                rows.Add(WebhookRow(request, subscription, tenantId, values, now));
            }
        }

        return await InsertAsync(connection, transaction, request, rows, now, cancellationToken);
    }

    private static void AddTenantRows(List<Row> rows, NotificationRequest request, TenantFacts facts, TemplateValues values, DateTimeOffset now)
    {
        var settings = facts.Settings;
        var language = settings.Language ?? facts.PreferredLanguage;
        var message = NotificationTemplates.Render(request.Kind, language, values);
        var notBefore = NotificationRules.DeliveryTime(request.Kind, now, QuietHoursOf(settings, facts.TimeZone));
        var recipient = "tenant:" + facts.Tenant.Value.ToString(CultureInfo.InvariantCulture);
        if (settings.SmsEnabled && !string.IsNullOrWhiteSpace(facts.Phone))
        {
            rows.Add(new Row(NotificationChannel.Sms, RecipientKind.Tenant, recipient, facts.Phone.Trim(), language, message.Title, message.Body, notBefore) { Tenant = facts.Tenant });
        }

        if (settings.EmailEnabled && !string.IsNullOrWhiteSpace(facts.Email))
        {
            rows.Add(new Row(NotificationChannel.Email, RecipientKind.Tenant, recipient, facts.Email.Trim(), language, message.Title, message.Body, notBefore) { Tenant = facts.Tenant });
        }

        // An in-app message makes no sound: it is not held back by quiet hours.
        if (settings.InAppEnabled)
        {
            rows.Add(new Row(NotificationChannel.InApp, RecipientKind.Tenant, recipient, recipient, language, message.Title, message.Body, now) { Tenant = facts.Tenant });
        }
    }

    private static void AddOperatorRows(List<Row> rows, NotificationRequest request, OperatorFacts user, TemplateValues values, DateTimeOffset now)
    {
        var message = NotificationTemplates.Render(request.Kind, user.Language, values);
        var recipient = "user:" + user.UserId;

        // Operators have no quiet hours: an alarm goes out at once.
        if (!string.IsNullOrWhiteSpace(user.Phone))
        {
            rows.Add(new Row(NotificationChannel.Sms, RecipientKind.Operator, recipient, user.Phone.Trim(), user.Language, message.Title, message.Body, now) { User = user.UserId });
        }

        if (!string.IsNullOrWhiteSpace(user.Email))
        {
            rows.Add(new Row(NotificationChannel.Email, RecipientKind.Operator, recipient, user.Email.Trim(), user.Language, message.Title, message.Body, now) { User = user.UserId });
        }

        rows.Add(new Row(NotificationChannel.InApp, RecipientKind.Operator, recipient, recipient, user.Language, message.Title, message.Body, now) { User = user.UserId });
    }

    private static Row WebhookRow(NotificationRequest request, Subscription subscription, TenantId? tenant, TemplateValues values, DateTimeOffset now)
    {
        var code = NotificationRules.Code(request.Kind);
        var payload = new WebhookPayload(
            request.Key.Value,
            code,
            request.OccurredAt,
            request.Account?.Value,
            tenant?.Value,
            values.Shop,
            values.Amount is { } amount ? MoneyRounding.ForDisplay(amount).Amount : null,
            values.Balance is { } balance ? MoneyRounding.ForDisplay(balance).Amount : null,
            values.Days,
            values.Alarm is { } alarm ? AlarmCatalog.Code(alarm) : null,
            values.Source,
            values.Detail,
            new Dictionary<string, string>
            {
                ["en"] = NotificationTemplates.Render(request.Kind, Language.English, values).Body,
                ["zh-Hans"] = NotificationTemplates.Render(request.Kind, Language.SimplifiedChinese, values).Body,
            });
        var recipient = "webhook:" + subscription.Id.ToString(CultureInfo.InvariantCulture);
        return new Row(NotificationChannel.Webhook, RecipientKind.Integrator, recipient, subscription.Url, Language.English, code, JsonSerializer.Serialize(payload, Json), now)
        {
            Subscription = subscription.Id,
        };
    }

    private async Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, NotificationRequest request, List<Row> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO notification_outbox (dedup_key, event_key, kind, recipient_kind, tenant_id, user_id, subscription_id, account_id, channel,
                                             address, language, subject, body, status, created_at, not_before, next_attempt_at, attempts)
            VALUES (@dedup, @event, @kind, @recipientKind, @tenant, @user, @subscription, @account, @channel,
                    @address, @language, @subject, @body, 0, @now, @notBefore, @notBefore, 0)
            ON CONFLICT (dedup_key) DO NOTHING
            """;
        var dedup = insert.AddParameter("@dedup", string.Empty);
        insert.AddParameter("@event", request.Key.Value);
        insert.AddParameter("@kind", (int)request.Kind);
        var recipientKind = insert.AddParameter("@recipientKind", 0);
        var tenant = insert.AddParameter("@tenant", null);
        var user = insert.AddParameter("@user", null);
        var subscription = insert.AddParameter("@subscription", null);
        insert.AddParameter("@account", request.Account?.Value);
        var channel = insert.AddParameter("@channel", 0);
        var address = insert.AddParameter("@address", string.Empty);
        var language = insert.AddParameter("@language", 0);
        var subject = insert.AddParameter("@subject", string.Empty);
        var body = insert.AddParameter("@body", string.Empty);
        insert.AddParameter("@now", now.ToUnixTimeMilliseconds());
        var notBefore = insert.AddParameter("@notBefore", 0L);
        var written = 0;
        foreach (var row in rows)
        {
            if (!_channels.TryGetValue(row.Channel, out var sender) || !sender.IsConfigured)
            {
                logger.LogDebug("{Channel} is not configured: no message for {Recipient} about {Event}", row.Channel, row.Recipient, request.Key);
                continue;
            }

            dedup.Value = request.Key.Value + "/" + row.Recipient + "/" + ChannelCode(row.Channel);
            recipientKind.Value = (int)row.RecipientKind;
            tenant.Value = (object?)row.Tenant?.Value ?? DBNull.Value;
            user.Value = (object?)row.User ?? DBNull.Value;
            subscription.Value = (object?)row.Subscription ?? DBNull.Value;
            channel.Value = (int)row.Channel;
            address.Value = Truncate(row.Address, 2000);
            language.Value = (int)row.Language;
            subject.Value = Truncate(row.Subject, 500);
            body.Value = Truncate(row.Body, 8000);
            notBefore.Value = row.NotBefore.ToUnixTimeMilliseconds();
            written += await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return written;
    }

    /// <summary>The stable lower-case code of a channel, as used in deduplication keys.</summary>
    public static string ChannelCode(NotificationChannel channel) => channel switch
    {
        NotificationChannel.Sms => "sms",
        NotificationChannel.Email => "email",
        NotificationChannel.Webhook => "webhook",
        NotificationChannel.InApp => "in-app",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel."),
    };

    internal static QuietHours? QuietHoursOf(TenantNotificationSettings settings, TimeZoneInfo zone) =>
        settings is { QuietStartMinute: { } start, QuietEndMinute: { } end } && start != end
            ? new QuietHours(new DailyWindow(TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(start)), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(end))), zone)
            : null;

    internal static TimeZoneInfo ZoneOf(string timeZone)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static async Task<TenantFacts?> LoadTenantAsync(DbConnection connection, DbTransaction transaction, AccountId account, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT t.id, t.name, t.phone, t.email, t.preferred_language, s.time_zone, a.number,
                   (SELECT sh.name FROM meters m JOIN shops sh ON sh.id = m.shop_id WHERE m.account_id = a.id ORDER BY m.id LIMIT 1),
                   ns.tenant_id, ns.sms_enabled, ns.email_enabled, ns.in_app_enabled, ns.quiet_start_minute, ns.quiet_end_minute, ns.language
            FROM accounts a
            JOIN tenants t ON t.id = a.tenant_id
            JOIN sites s ON s.id = a.site_id
            LEFT JOIN notification_settings ns ON ns.tenant_id = t.id
            WHERE a.id = @account
            """;
        command.AddParameter("@account", account.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var tenant = new TenantId(reader.GetInt64(0));
        var settings = reader.IsDBNull(8)
            ? TenantNotificationSettings.Defaults(tenant)
            : new TenantNotificationSettings
            {
                TenantId = tenant,
                SmsEnabled = reader.GetFlag(9),
                EmailEnabled = reader.GetFlag(10),
                InAppEnabled = reader.GetFlag(11),
                QuietStartMinute = reader.IsDBNull(12) ? null : reader.GetInt32(12),
                QuietEndMinute = reader.IsDBNull(13) ? null : reader.GetInt32(13),
                Language = reader.IsDBNull(14) ? null : (Language)reader.GetInt32(14),
            };
        return new TenantFacts(
            tenant,
            reader.GetNullableString(7) ?? reader.GetString(1),
            reader.GetNullableString(2),
            reader.GetNullableString(3),
            (Language)reader.GetInt32(4),
            ZoneOf(reader.GetString(5)),
            settings);
    }

    private static async Task<List<OperatorFacts>> LoadOperatorsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        var users = new List<OperatorFacts>();
        if (roles.Count == 0)
        {
            return users;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var names = new List<string>();
        for (var i = 0; i < roles.Count; i++)
        {
            names.Add("@role" + i.ToString(CultureInfo.InvariantCulture));
            command.AddParameter(names[^1], roles[i]);
        }

        command.AddParameter("@disabled", false);
        command.CommandText = $"""
            SELECT DISTINCT u.id, u.email, u.phone_number, u.language
            FROM "AspNetUsers" u
            JOIN "AspNetUserRoles" ur ON ur.user_id = u.id
            JOIN "AspNetRoles" r ON r.id = ur.role_id
            WHERE r.name IN ({string.Join(", ", names)}) AND u.disabled = @disabled
            ORDER BY u.id
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(new OperatorFacts(reader.GetString(0), reader.GetNullableString(1), reader.GetNullableString(2), (Language)reader.GetInt32(3)));
        }

        return users;
    }

    private static async Task<List<Subscription>> LoadSubscriptionsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, url, event_kinds FROM webhook_subscriptions WHERE active = @active ORDER BY id";
        command.AddParameter("@active", true);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var subscriptions = new List<Subscription>();
        while (await reader.ReadAsync(cancellationToken))
        {
            subscriptions.Add(new Subscription(reader.GetInt64(0), reader.GetString(1), WebhookEvents.Parse(reader.GetString(2))));
        }

        return subscriptions;
    }

    private sealed record TenantFacts(TenantId Tenant, string Shop, string? Phone, string? Email, Language PreferredLanguage, TimeZoneInfo TimeZone, TenantNotificationSettings Settings);

    private sealed record OperatorFacts(string UserId, string? Email, string? Phone, Language Language);

    private sealed record Subscription(long Id, string Url, IReadOnlySet<NotificationKind>? Kinds)
    {
        public bool Wants(NotificationKind kind) => Kinds is null || Kinds.Contains(kind);
    }

    private sealed record Row(NotificationChannel Channel, RecipientKind RecipientKind, string Recipient, string Address, Language Language, string Subject, string Body, DateTimeOffset NotBefore)
    {
        public TenantId? Tenant { get; init; }

        public string? User { get; init; }

        public long? Subscription { get; init; }
    }
}
