namespace Kilowallet.Server.Notifications;

public enum DeliveryOutcome
{
    /// <summary>The channel accepted the message.</summary>
    Delivered = 0,

    /// <summary>The channel is down, slow or refused for now: try again later with the same message id.</summary>
    Retry = 1,

    /// <summary>The channel refused the message itself (a malformed address, a body it rejects): retrying cannot help.</summary>
    Rejected = 2,

    /// <summary>The channel is not configured on this server.</summary>
    NotConfigured = 3,
}
