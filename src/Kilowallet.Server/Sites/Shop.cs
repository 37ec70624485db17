using Kilowallet.Domain;

namespace Kilowallet.Server.Sites;

/// <summary>A rentable unit of a site, or a public-area circuit group (lighting, escalators, HVAC).</summary>
public sealed class Shop
{
    public ShopId Id { get; set; }

    public SiteId SiteId { get; set; }

    public AreaId AreaId { get; set; }

    public Area? Area { get; set; }

    /// <summary>Unit number, unique within the site (e.g. "1F-012").</summary>
    public required string UnitNumber { get; set; }

    public required string Name { get; set; }

    /// <summary>Let floor area in square metres; the basis of floor-area apportionment.</summary>
    public decimal FloorAreaM2 { get; set; }

    public BusinessFormat BusinessFormat { get; set; }

    /// <summary>The shop's contracted power limit, used by overload protection; null means no limit set.</summary>
    public decimal? PowerLimitKw { get; set; }

    /// <summary>Whether resistive high-power appliances (heaters, kettles, cookers) are allowed.</summary>
    public bool HighPowerAppliancesAllowed { get; set; }
}
