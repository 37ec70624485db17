namespace Kilowallet.Server.Notifications;

/// <summary>What a channel made of one message, with the reason when it was not delivered.</summary>
public readonly record struct DeliveryResult(DeliveryOutcome Outcome, string? Error)
{
    public static DeliveryResult Delivered { get; } = new(DeliveryOutcome.Delivered, null);

    public static DeliveryResult Retry(string error) => new(DeliveryOutcome.Retry, error);

    public static DeliveryResult Rejected(string error) => new(DeliveryOutcome.Rejected, error);

    public static DeliveryResult NotConfigured(string error) => new(DeliveryOutcome.NotConfigured, error);
}
