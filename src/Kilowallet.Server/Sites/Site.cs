using Kilowallet.Domain;

namespace Kilowallet.Server.Sites;

/// <summary>A mall or building run by the property company: its own time zone and currency.</summary>
public sealed class Site
{
    public SiteId Id { get; set; }

    /// <summary>Short unique code used by imports and the API (e.g. "DEMO").</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    /// <summary>IANA time zone; tariff windows and friendly hours are local times of the site.</summary>
    public required string TimeZone { get; set; }

    /// <summary>ISO 4217 currency code of every account at the site.</summary>
    public required string Currency { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<Area> Areas { get; } = [];
}
