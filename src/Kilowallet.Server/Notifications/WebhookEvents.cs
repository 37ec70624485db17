using Kilowallet.Domain.Notifications;

namespace Kilowallet.Server.Notifications;

/// <summary>The event filter of a webhook subscription: "*" for every event, or a comma-separated list of event codes.</summary>
public static class WebhookEvents
{
    public const string All = "*";

    public static IReadOnlyList<string> Codes { get; } = Enum.GetValues<NotificationKind>().Select(NotificationRules.Code).ToArray();

    /// <summary>The kinds a stored filter selects; null means every kind.</summary>
    public static IReadOnlySet<NotificationKind>? Parse(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Trim() == All)
        {
            return null;
        }

        var codes = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return Enum.GetValues<NotificationKind>().Where(k => codes.Contains(NotificationRules.Code(k))).ToHashSet();
    }

    /// <summary>Normalises a requested list: null or empty or ["*"] is every event; unknown codes are returned as errors.</summary>
    public static (string? Filter, string? Error) Normalize(IReadOnlyList<string>? events)
    {
        if (events is null || events.Count == 0 || events.Any(e => e.Trim() == All))
        {
            return (All, null);
        }

        var unknown = events.Select(e => e.Trim()).Where(e => !Codes.Contains(e)).ToList();
        return unknown.Count > 0
            ? (null, $"Unknown event {string.Join(", ", unknown)}; the events are {string.Join(", ", Codes)}.")
            : (string.Join(",", events.Select(e => e.Trim()).Distinct(StringComparer.Ordinal)), null);
    }
}
