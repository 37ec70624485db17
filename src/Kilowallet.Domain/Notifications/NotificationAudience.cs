namespace Kilowallet.Domain.Notifications;

public enum NotificationAudience
{
    Tenant = 0,
    Operator = 1,
}
