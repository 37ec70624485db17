using Kilowallet.Domain;

namespace Kilowallet.Server.Tariffs;

/// <summary>A public holiday at a site (holiday tariff schedule), or a make-up working day on a weekend.</summary>
public sealed class SiteHoliday
{
    public SiteId SiteId { get; set; }

    public DateOnly Date { get; set; }

    public required string Name { get; set; }

    /// <summary>True for a weekend day worked in exchange for a holiday (priced as a weekday).</summary>
    public bool WorkingDay { get; set; }
}
