using Kilowallet.Domain.Safety;
using Kilowallet.Server.Api;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Alarms;

/// <summary>Lists alarms with the names of what raised them (shop and meter, or gateway), for the API and the alarms console.</summary>
public sealed class AlarmQuery(KilowalletDb db)
{
    /// <summary>Which alarms: "open" (default), "cleared" or "all", optionally of one severity, type or source.</summary>
    public sealed record Filter(string? Status = null, AlarmSeverity? Severity = null, string? Type = null, AlarmSourceKind? SourceKind = null, long? SourceId = null);

    public sealed record AlarmView(AlarmRecord Alarm, string SourceName, long? MeterId, bool ClearsAutomatically);

    public async Task<(IReadOnlyList<AlarmView> Items, int Total)> ListAsync(Filter filter, Paging paging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.Alarms.AsNoTracking();
        query = (filter.Status ?? "open") switch
        {
            "all" => query,
            "cleared" => query.Where(a => a.ClearedAt != null),
            _ => query.Where(a => a.ClearedAt == null),
        };
        if (filter.Severity is { } severity)
        {
            query = query.Where(a => a.Severity == severity);
        }

        if (filter.Type is { Length: > 0 } code)
        {
            var types = Enum.GetValues<AlarmType>().Where(t => AlarmCatalog.Code(t) == code).ToList();
            query = query.Where(a => types.Contains(a.Type));
        }

        if (filter.SourceKind is { } kind)
        {
            query = query.Where(a => a.SourceKind == kind);
        }

        if (filter.SourceId is { } source)
        {
            query = query.Where(a => a.SourceId == source);
        }

        var total = await query.CountAsync(cancellationToken);
        var alarms = await query.OrderByDescending(a => a.ClearedAt == null).ThenByDescending(a => a.Severity).ThenByDescending(a => a.Id)
            .Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        var names = await NamesAsync(alarms, cancellationToken);
        return (alarms.ConvertAll(a => new AlarmView(
            a,
            names.GetValueOrDefault((a.SourceKind, a.SourceId)) ?? $"{a.SourceKind} {a.SourceId}",
            a.SourceKind == AlarmSourceKind.Meter ? a.SourceId : null,
            AlarmCatalog.ClearsAutomatically(a.Type))), total);
    }

    /// <summary>Open alarms by severity, and how many of them nobody has acknowledged yet.</summary>
    public async Task<(IReadOnlyDictionary<AlarmSeverity, int> BySeverity, int Unacknowledged)> CountOpenAsync(CancellationToken cancellationToken)
    {
        var open = await db.Alarms.AsNoTracking().Where(a => a.ClearedAt == null)
            .GroupBy(a => new { a.Severity, Acknowledged = a.AcknowledgedAt != null })
            .Select(g => new { g.Key.Severity, g.Key.Acknowledged, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return (open.GroupBy(o => o.Severity).ToDictionary(g => g.Key, g => g.Sum(o => o.Count)), open.Where(o => !o.Acknowledged).Sum(o => o.Count));
    }

    private async Task<Dictionary<(AlarmSourceKind, long), string>> NamesAsync(List<AlarmRecord> alarms, CancellationToken cancellationToken)
    {
        var meterIds = alarms.Where(a => a.SourceKind == AlarmSourceKind.Meter).Select(a => new Domain.MeterId(a.SourceId)).Distinct().ToList();
        var gatewayIds = alarms.Where(a => a.SourceKind == AlarmSourceKind.Gateway).Select(a => new Domain.GatewayId(a.SourceId)).Distinct().ToList();
        var names = new Dictionary<(AlarmSourceKind, long), string>();
        if (meterIds.Count > 0)
        {
            var meters = await (from m in db.Meters.AsNoTracking()
                                where meterIds.Contains(m.Id)
                                join s in db.Shops on m.ShopId equals (Domain.ShopId?)s.Id into shops
                                from shop in shops.DefaultIfEmpty()
                                select new { m.Id, m.Serial, Unit = shop == null ? null : shop.UnitNumber, Shop = shop == null ? null : shop.Name })
                               .ToListAsync(cancellationToken);
            foreach (var m in meters)
            {
                names[(AlarmSourceKind.Meter, m.Id.Value)] = m.Unit is null ? m.Serial : $"{m.Unit} {m.Shop} ({m.Serial})";
            }
        }

        if (gatewayIds.Count > 0)
        {
            foreach (var g in await db.Gateways.AsNoTracking().Where(g => gatewayIds.Contains(g.Id)).Select(g => new { g.Id, g.Name }).ToListAsync(cancellationToken))
            {
                names[(AlarmSourceKind.Gateway, g.Id.Value)] = g.Name;
            }
        }

        return names;
    }
}
