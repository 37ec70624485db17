namespace Kilowallet.Server.Notifications;

/// <summary>Where a webhook goes and the key that signs it.</summary>
public sealed record WebhookTarget(long SubscriptionId, Uri Url, string Secret);
