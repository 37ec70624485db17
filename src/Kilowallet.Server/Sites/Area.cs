using Kilowallet.Domain;

namespace Kilowallet.Server.Sites;

/// <summary>A floor, a zone within it, or a public area of a site.</summary>
public sealed class Area
{
    public AreaId Id { get; set; }

    public SiteId SiteId { get; set; }

    public Site? Site { get; set; }

    /// <summary>Unique within the site (e.g. "F1", "F1-PUBLIC").</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    public AreaKind Kind { get; set; }

    /// <summary>Floor number for ordering and grouping; 0 is ground, negatives are basements.</summary>
    public int Floor { get; set; }
}
