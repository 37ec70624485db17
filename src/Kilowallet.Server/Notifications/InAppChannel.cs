namespace Kilowallet.Server.Notifications;

/// <summary>In-app messages: the outbox row is the message; delivering it only marks it sent, so it shows in the recipient's inbox.</summary>
public sealed class InAppChannel : INotificationChannel
{
    public NotificationChannel Channel => NotificationChannel.InApp;

    public bool IsConfigured => true;

    public Task<DeliveryResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
        Task.FromResult(DeliveryResult.Delivered);
}
