namespace Kilowallet.Server.Notifications;

/// <summary>An integrator's endpoint for signed event webhooks (table webhook_subscriptions).</summary>
public sealed class WebhookSubscription
{
    public long Id { get; set; }

    /// <summary>Absolute http(s) URL the events are POSTed to.</summary>
    public required string Url { get; set; }

    /// <summary>The HMAC-SHA256 key of the X-Kilowallet-Signature header; shown once, when created.</summary>
    public required string Secret { get; set; }

    /// <summary>Comma-separated event codes ("warning-1,top-up"), or "*" for every event.</summary>
    public required string EventKinds { get; set; }

    public bool Active { get; set; } = true;

    public string? Description { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
