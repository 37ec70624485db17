namespace Kilowallet.Server.Notifications;

/// <summary>Where an outbox message is in its life.</summary>
public enum OutboxStatus
{
    /// <summary>Waiting for its not-before time, its next attempt, or a dispatcher.</summary>
    Pending = 0,

    /// <summary>The channel accepted it (in-app: it is stored for the recipient to read).</summary>
    Sent = 1,

    /// <summary>Given up after the configured number of attempts, or refused by the channel as invalid. Support can retry it.</summary>
    Failed = 2,

    /// <summary>Its channel is no longer configured, or its webhook subscription is gone. Support can retry it.</summary>
    Skipped = 3,
}
