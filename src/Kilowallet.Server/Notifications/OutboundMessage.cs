using System.Security.Cryptography;
using System.Text;
using Kilowallet.Domain;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// A message as a channel sends it. <see cref="MessageId"/> is derived from the outbox row's
/// deduplication key, so every attempt at the same message carries the same id (gateways and
/// integrators can drop a repeat).
/// </summary>
public sealed record OutboundMessage(
    string MessageId,
    string EventKey,
    string EventCode,
    NotificationChannel Channel,
    string Address,
    Language Language,
    string Subject,
    string Body)
{
    /// <summary>For webhooks: the subscription's URL and signing secret, read when sending.</summary>
    public WebhookTarget? Webhook { get; init; }

    public static string MessageIdFor(string dedupKey) =>
        "kw-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dedupKey)))[..32];
}
