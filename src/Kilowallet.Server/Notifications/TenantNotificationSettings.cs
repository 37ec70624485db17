using Kilowallet.Domain;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// How a tenant wants to be told (table notification_settings). A tenant without a row gets
/// <see cref="Defaults"/>: SMS, email (when it has an address) and in-app on, quiet hours
/// 22:00–08:00 (which hold back reminders only; the domain decides which kinds wait).
/// </summary>
public sealed class TenantNotificationSettings
{
    public const int DefaultQuietStartMinute = 22 * 60;
    public const int DefaultQuietEndMinute = 8 * 60;

    public TenantId TenantId { get; set; }

    public bool SmsEnabled { get; set; } = true;

    public bool EmailEnabled { get; set; } = true;

    public bool InAppEnabled { get; set; } = true;

    /// <summary>Start of the daily quiet window in the site's local time, minutes after midnight; null for no quiet hours.</summary>
    public int? QuietStartMinute { get; set; } = DefaultQuietStartMinute;

    /// <summary>End of the daily quiet window (exclusive), minutes after midnight.</summary>
    public int? QuietEndMinute { get; set; } = DefaultQuietEndMinute;

    /// <summary>The language of messages when it should differ from the tenant's preferred language.</summary>
    public Language? Language { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public static TenantNotificationSettings Defaults(TenantId tenant) => new() { TenantId = tenant };
}
