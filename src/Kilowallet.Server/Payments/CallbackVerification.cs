namespace Kilowallet.Server.Payments;

/// <summary>The result of checking a callback: the notification it carries, or why it was refused.</summary>
public sealed record CallbackVerification(ProviderNotification? Notification, string? RefusedBecause)
{
    public static CallbackVerification Valid(ProviderNotification notification) => new(notification, null);

    public static CallbackVerification Refused(string reason) => new(null, reason);
}
