using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Sites;

/// <summary>The local time zone screens show times in: the site's own, or the first site's where a page spans sites.</summary>
public static class SiteZones
{
    public static async Task<TimeZoneInfo> FirstAsync(KilowalletDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var zone = await db.Sites.AsNoTracking().OrderBy(s => s.Id).Select(s => s.TimeZone).FirstOrDefaultAsync(cancellationToken);
        return zone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone);
    }
}
