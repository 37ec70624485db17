using Kilowallet.Domain;

namespace Kilowallet.Server.Tariffs;

/// <summary>A tariff plan of a site. Its content lives in its versions.</summary>
public sealed class TariffPlanRecord
{
    public long Id { get; set; }

    public SiteId SiteId { get; set; }

    /// <summary>Unique within the site, e.g. "CN-COMMERCIAL-TOU".</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    public required string Currency { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
