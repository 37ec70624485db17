namespace Kilowallet.Server.Notifications;

/// <summary>
/// One way of delivering messages (SMS gateway, SMTP, webhook, in-app). A channel never throws
/// for a delivery problem: it says what happened, and the dispatcher retries or gives up.
/// </summary>
public interface INotificationChannel
{
    NotificationChannel Channel { get; }

    /// <summary>False when the settings leave this channel off; its messages are then not enqueued.</summary>
    bool IsConfigured { get; }

    /// <summary>Sends one message; <paramref name="cancellationToken"/> carries the send timeout.</summary>
    Task<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
