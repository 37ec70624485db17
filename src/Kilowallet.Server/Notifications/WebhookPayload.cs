namespace Kilowallet.Server.Notifications;

/// <summary>The JSON body of a webhook: the event's facts, and its message text in English and Simplified Chinese.</summary>
public sealed record WebhookPayload(
    string Id,
    string Type,
    DateTimeOffset OccurredAt,
    long? AccountId,
    long? TenantId,
    string? Shop,
    decimal? Amount,
    decimal? Balance,
    int? Days,
    string? Alarm,
    string? Source,
    string? Detail,
    IReadOnlyDictionary<string, string> Text);
