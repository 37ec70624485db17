using Kilowallet.Domain;

namespace Kilowallet.Server.Control;

/// <summary>
/// A site's friendly hours: when supply is not cut for lack of credit. Daily local windows
/// ("20:00-08:00", several separated by ';'), whole days of the week ("saturday,sunday"), and whether
/// the site's holidays (Tariffs' holiday calendar, working days excepted) are protected. A cut that
/// falls inside is deferred to the next allowed time.
/// </summary>
public sealed class SiteControlPolicy
{
    public SiteId SiteId { get; set; }

    public required string DailyWindows { get; set; }

    public required string AllDayDays { get; set; }

    public bool ProtectHolidays { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}
