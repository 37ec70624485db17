namespace Kilowallet.Server.Notifications;

/// <summary>Who a message is for.</summary>
public enum RecipientKind
{
    /// <summary>A tenant (its phone, email, in-app inbox); <see cref="OutboxMessage.TenantId"/> is set.</summary>
    Tenant = 0,

    /// <summary>A staff user; <see cref="OutboxMessage.UserId"/> is set.</summary>
    Operator = 1,

    /// <summary>An integrator's webhook subscription; <see cref="OutboxMessage.SubscriptionId"/> is set.</summary>
    Integrator = 2,
}
