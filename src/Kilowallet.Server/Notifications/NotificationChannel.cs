namespace Kilowallet.Server.Notifications;

/// <summary>How a message reaches its recipient. Stored as the number; shown as the camel-case name.</summary>
public enum NotificationChannel
{
    Sms = 0,
    Email = 1,
    Webhook = 2,
    InApp = 3,
}
