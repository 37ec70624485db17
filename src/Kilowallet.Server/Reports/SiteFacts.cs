using Kilowallet.Domain;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Reports;

/// <summary>A site's directory as reports need it: areas, shops, meters, accounts and tenants, by id (a few thousand rows).</summary>
public sealed class SiteFacts
{
    public required SiteId Id { get; init; }

    public required string Code { get; init; }

    public required string Name { get; init; }

    public required string Currency { get; init; }

    public required TimeZoneInfo Zone { get; init; }

    public required IReadOnlyDictionary<long, AreaFact> Areas { get; init; }

    public required IReadOnlyDictionary<long, ShopFact> Shops { get; init; }

    public required IReadOnlyDictionary<long, MeterFact> Meters { get; init; }

    public required IReadOnlyDictionary<long, AccountFact> Accounts { get; init; }

    public DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime);
    }

    public ShopFact? ShopOf(long meter) => Meters.TryGetValue(meter, out var m) && m.ShopId is { } shop && Shops.TryGetValue(shop, out var s) ? s : null;

    public AreaFact? AreaOf(long meter) => ShopOf(meter) is { } shop && Areas.TryGetValue(shop.AreaId, out var area) ? area : null;

    /// <summary>The site <paramref name="site"/>, or the first site when null; null when there is none.</summary>
    public static async Task<SiteFacts?> LoadAsync(KilowalletDb db, SiteId? site, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var row = site is { } id
            ? await db.Sites.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            : await db.Sites.AsNoTracking().OrderBy(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var areas = await db.Areas.AsNoTracking().Where(a => a.SiteId == row.Id)
            .Select(a => new AreaFact(a.Id.Value, a.Code, a.Name, a.Kind, a.Floor)).ToListAsync(cancellationToken);
        var shops = await db.Shops.AsNoTracking().Where(s => s.SiteId == row.Id)
            .Select(s => new ShopFact(s.Id.Value, s.UnitNumber, s.Name, s.AreaId.Value, s.BusinessFormat, s.FloorAreaM2)).ToListAsync(cancellationToken);
        var meterRows = await db.Meters.AsNoTracking().Where(m => m.SiteId == row.Id)
            .Select(m => new { m.Id, m.Serial, m.Purpose, m.Status, m.ShopId, m.AccountId })
            .ToListAsync(cancellationToken);
        var meters = meterRows.ConvertAll(m => new MeterFact(m.Id.Value, m.Serial, m.Purpose, m.Status, m.ShopId?.Value, m.AccountId?.Value));
        var accounts = await (from a in db.Accounts.AsNoTracking()
                              join t in db.Tenants on a.TenantId equals t.Id
                              where a.SiteId == row.Id
                              select new AccountFact(a.Id.Value, a.Number, t.Id.Value, t.Name, a.Status)).ToListAsync(cancellationToken);
        return new SiteFacts
        {
            Id = row.Id,
            Code = row.Code,
            Name = row.Name,
            Currency = row.Currency,
            Zone = NotificationOutbox.ZoneOf(row.TimeZone),
            Areas = areas.ToDictionary(a => a.Id),
            Shops = shops.ToDictionary(s => s.Id),
            Meters = meters.ToDictionary(m => m.Id),
            Accounts = accounts.ToDictionary(a => a.Id),
        };
    }

    public sealed record AreaFact(long Id, string Code, string Name, AreaKind Kind, int Floor);

    public sealed record ShopFact(long Id, string Unit, string Name, long AreaId, BusinessFormat Format, decimal FloorAreaM2);

    public sealed record MeterFact(long Id, string Serial, MeterPurpose Purpose, MeterStatus Status, long? ShopId, long? AccountId);

    public sealed record AccountFact(long Id, string Number, long TenantId, string TenantName, AccountStatus Status);
}
