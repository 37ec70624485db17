using Kilowallet.Domain;
using Kilowallet.Domain.Notifications;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// One message for one recipient on one channel (table notification_outbox), rendered when it was
/// enqueued. <see cref="DedupKey"/> is unique: the same event never produces the same message twice,
/// whoever enqueues it and however often. Dispatchers claim due rows with a lease
/// (<see cref="ClaimedUntil"/>, <see cref="ClaimToken"/>), so two nodes never send the same row.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>"{event key}/{recipient}/{channel}", e.g. "warning-1:account:7:20260301T020000.000Z/tenant:3/sms".</summary>
    public required string DedupKey { get; set; }

    /// <summary>The event's <see cref="NotificationKey"/>: the same for every recipient and channel; webhooks carry it as the event id.</summary>
    public required string EventKey { get; set; }

    public NotificationKind Kind { get; set; }

    public RecipientKind RecipientKind { get; set; }

    public TenantId? TenantId { get; set; }

    /// <summary>The staff user of an operator message.</summary>
    public string? UserId { get; set; }

    /// <summary>The webhook subscription of an integrator message (its URL and secret are read when sending).</summary>
    public long? SubscriptionId { get; set; }

    /// <summary>The account the event is about, when there is one.</summary>
    public AccountId? AccountId { get; set; }

    public NotificationChannel Channel { get; set; }

    /// <summary>Phone number (E.164), email address, webhook URL, or the in-app inbox ("tenant:3", "user:…").</summary>
    public required string Address { get; set; }

    public Language Language { get; set; }

    /// <summary>Email subject / in-app title; for webhooks the event code.</summary>
    public required string Subject { get; set; }

    /// <summary>SMS text / email and in-app body; for webhooks the JSON payload.</summary>
    public required string Body { get; set; }

    public OutboxStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Not sent before this instant: the end of the recipient's quiet hours, or the enqueue time.</summary>
    public DateTimeOffset NotBefore { get; set; }

    /// <summary>When a dispatcher may next try: <see cref="NotBefore"/>, then later after each failure (exponential backoff).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Attempts started (counted when claimed, so a node that died mid-send still counts).</summary>
    public int Attempts { get; set; }

    /// <summary>The lease of the dispatcher sending it; another dispatcher may claim it only after this.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    public string? ClaimToken { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>In-app messages: when the recipient marked it read.</summary>
    public DateTimeOffset? ReadAt { get; set; }

    public string? LastError { get; set; }
}
