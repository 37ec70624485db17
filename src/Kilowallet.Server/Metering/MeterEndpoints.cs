using Kilowallet.Domain;
using Kilowallet.Server.Api;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Metering;

/// <summary>/api/v1/meters and /api/v1/gateways.</summary>
public static class MeterEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var meters = api.MapGroup("/meters").WithTags("Meters").RequireAuthorization(Auth.Policies.Staff);
        meters.MapGet("/", ListMeters);
        meters.MapGet("/{meterId:long}", GetMeter);
        var gateways = api.MapGroup("/gateways").WithTags("Gateways").RequireAuthorization(Auth.Policies.Operate);
        gateways.MapGet("/", ListGateways);
    }

    public sealed record MeterDto(
        long Id, long SiteId, string Serial, string ProfileName, long? GatewayId, int? UnitId, string? Dlt645Address,
        string? MqttClientId, decimal CtRatio, decimal PtRatio, int PhaseCount, long? ShopId, long? AccountId,
        MeterPurpose Purpose, MeterStatus Status, bool FeedsOwnGateway);

    public sealed record GatewayDto(
        long Id, long SiteId, string Name, GatewayTransport Transport, string? Host, int? Port, string? SerialDevice,
        int? BaudRate, string? Parity, int TimeoutMs, bool Enabled);

    public static async Task<Ok<Page<MeterDto>>> ListMeters(
        KilowalletDb db, long? siteId, long? shopId, long? accountId, long? gatewayId, string? search, int? offset, int? limit,
        CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.Meters.AsNoTracking();
        if (siteId is { } site)
        {
            var key = new SiteId(site);
            query = query.Where(m => m.SiteId == key);
        }

        if (shopId is { } shop)
        {
            ShopId? key = new ShopId(shop);
            query = query.Where(m => m.ShopId == key);
        }

        if (accountId is { } account)
        {
            AccountId? key = new AccountId(account);
            query = query.Where(m => m.AccountId == key);
        }

        if (gatewayId is { } gateway)
        {
            GatewayId? key = new GatewayId(gateway);
            query = query.Where(m => m.GatewayId == key);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(m => m.Serial.Contains(term));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(m => m.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<MeterDto>(rows.ConvertAll(ToDto), total, paging.Offset, paging.Limit));
    }

    public static async Task<Results<Ok<MeterDto>, NotFound>> GetMeter(KilowalletDb db, long meterId, CancellationToken cancellationToken)
    {
        var id = new MeterId(meterId);
        var meter = await db.Meters.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        return meter is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(meter));
    }

    public static async Task<Ok<Page<GatewayDto>>> ListGateways(KilowalletDb db, long? siteId, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.Gateways.AsNoTracking();
        if (siteId is { } site)
        {
            var key = new SiteId(site);
            query = query.Where(g => g.SiteId == key);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(g => g.Id).Skip(paging.Offset).Take(paging.Limit)
            .Select(g => new GatewayDto(g.Id.Value, g.SiteId.Value, g.Name, g.Transport, g.Host, g.Port, g.SerialDevice, g.BaudRate, g.Parity, g.TimeoutMs, g.Enabled))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<GatewayDto>(items, total, paging.Offset, paging.Limit));
    }

    private static MeterDto ToDto(Meter m) => new(
        m.Id.Value, m.SiteId.Value, m.Serial, m.ProfileName, m.GatewayId?.Value, m.UnitId, m.Dlt645Address, m.MqttClientId,
        m.CtRatio, m.PtRatio, m.PhaseCount, m.ShopId?.Value, m.AccountId?.Value, m.Purpose, m.Status, m.FeedsOwnGateway);
}
