using Kilowallet.Domain;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Metering;

/// <summary>
/// /api/v1/meters and /api/v1/gateways: the installed meters and the buses they sit on. Changes are
/// checked by <see cref="DirectoryRules"/> (the same rules as the CSV import) and picked up by
/// acquisition at once.
/// </summary>
public static class MeterEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var meters = api.MapGroup("/meters").WithTags("Meters").RequireAuthorization(Auth.Policies.Staff);
        meters.MapGet("/", ListMeters);
        meters.MapGet("/{meterId:long}", GetMeter);
        meters.MapPost("/", CreateMeter).RequireAuthorization(Auth.Policies.Operate);
        meters.MapPut("/{meterId:long}", UpdateMeter).RequireAuthorization(Auth.Policies.Operate);
        meters.MapDelete("/{meterId:long}", DeleteMeter).RequireAuthorization(Auth.Policies.Operate);
        var gateways = api.MapGroup("/gateways").WithTags("Gateways").RequireAuthorization(Auth.Policies.Operate);
        gateways.MapGet("/", ListGateways);
        gateways.MapGet("/{gatewayId:long}", GetGateway);
        gateways.MapPost("/", CreateGateway);
        gateways.MapPut("/{gatewayId:long}", UpdateGateway);
        gateways.MapDelete("/{gatewayId:long}", DeleteGateway);
    }

    public sealed record MeterDto(
        long Id, long SiteId, string Serial, string ProfileName, long? GatewayId, int? UnitId, string? Dlt645Address,
        string? MqttClientId, decimal CtRatio, decimal PtRatio, int PhaseCount, long? ShopId, long? AccountId,
        MeterPurpose Purpose, MeterStatus Status, bool FeedsOwnGateway);

    public sealed record GatewayDto(
        long Id, long SiteId, string Name, GatewayTransport Transport, string? Host, int? Port, string? SerialDevice,
        int? BaudRate, string? Parity, int TimeoutMs, bool Enabled);

    /// <summary>
    /// A meter as created or replaced. The site is given on creation and never changes; the paying
    /// account is set on creation (a later change is a dated reassignment, not an edit). Defaults:
    /// CT and PT ratio 1, one phase, purpose tenant, status active.
    /// </summary>
    public sealed record MeterRequest(
        long? SiteId, string? Serial, string? ProfileName, long? GatewayId, int? UnitId, string? Dlt645Address, string? MqttClientId,
        decimal? CtRatio, decimal? PtRatio, int? PhaseCount, long? ShopId, long? AccountId, MeterPurpose? Purpose, MeterStatus? Status,
        bool? FeedsOwnGateway);

    /// <summary>A gateway as created or replaced; TCP transports need host and port, serial ones device and baud rate. Timeout defaults to 1000 ms.</summary>
    public sealed record GatewayRequest(
        long? SiteId, string? Name, GatewayTransport? Transport, string? Host, int? Port, string? SerialDevice, int? BaudRate, string? Parity,
        int? TimeoutMs, bool? Enabled);

    public static async Task<Ok<Page<MeterDto>>> ListMeters(
        KilowalletDb db, long? siteId, long? shopId, long? accountId, long? gatewayId, MeterStatus? status, MeterPurpose? purpose, string? search,
        int? offset, int? limit, CancellationToken cancellationToken)
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

        if (status is { } wantedStatus)
        {
            query = query.Where(m => m.Status == wantedStatus);
        }

        if (purpose is { } wantedPurpose)
        {
            query = query.Where(m => m.Purpose == wantedPurpose);
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

    public static async Task<Results<Created<MeterDto>, ProblemHttpResult>> CreateMeter(
        MeterRequest request, KilowalletDb db, MeterProfileCatalog profiles, AcquisitionService acquisition, AuditLog audit, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var site = await ResolveSiteAsync(db, request.SiteId, errors, cancellationToken);
        var meter = new Meter { SiteId = site ?? default, Serial = string.Empty, ProfileName = string.Empty, InstalledAt = clock.GetUtcNow() };
        if (await CheckMeterAsync(db, profiles, meter, request, errors, isNew: true, cancellationToken) is { } problem)
        {
            return problem;
        }

        db.Meters.Add(meter);
        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "meter.created", "meter:" + meter.Id, request, cancellationToken);
        await acquisition.ReloadAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/meters/{meter.Id}", ToDto(meter));
    }

    public static async Task<Results<Ok<MeterDto>, NotFound, ProblemHttpResult>> UpdateMeter(
        long meterId, MeterRequest request, KilowalletDb db, MeterProfileCatalog profiles, AcquisitionService acquisition, AuditLog audit, HttpContext http,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = new MeterId(meterId);
        var meter = await db.Meters.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meter is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors();
        if (request.SiteId is { } siteId && siteId != meter.SiteId.Value)
        {
            errors.Invalid("site_code", "a meter stays at its site; decommission it and create it at the other site");
        }

        if (request.AccountId != meter.AccountId?.Value)
        {
            errors.Conflict("account_number", "the paying account changes by a dated reassignment, not by editing the meter");
        }

        if (await CheckMeterAsync(db, profiles, meter, request, errors, isNew: false, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "meter.updated", "meter:" + meter.Id, request, cancellationToken);
        await acquisition.ReloadAsync(cancellationToken);
        return TypedResults.Ok(ToDto(meter));
    }

    /// <summary>
    /// Deletes a meter that never produced anything (a mistake in commissioning). A meter with
    /// readings, usage, charges or tariff history is retired instead: decommissioned, kept with its
    /// history, no longer read; the answer is then 200 with the retired meter.
    /// </summary>
    public static async Task<Results<NoContent, Ok<MeterDto>, NotFound, ProblemHttpResult>> DeleteMeter(
        long meterId, KilowalletDb db, AcquisitionService acquisition, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var id = new MeterId(meterId);
        var meter = await db.Meters.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meter is null)
        {
            return TypedResults.NotFound();
        }

        MeterId? key = id;
        var hasHistory = await db.Readings.AnyAsync(r => r.MeterId == id, cancellationToken)
            || await db.UsageHourly.AnyAsync(u => u.MeterId == id, cancellationToken)
            || await db.RatingStates.AnyAsync(s => s.MeterId == id, cancellationToken)
            || await db.QuarantinedIntervals.AnyAsync(q => q.MeterId == id, cancellationToken)
            || await db.RejectedReadings.AnyAsync(r => r.MeterId == id, cancellationToken)
            || await db.LedgerEntries.AnyAsync(e => e.MeterId == key, cancellationToken)
            || await db.TariffAssignments.AnyAsync(a => a.MeterId == key, cancellationToken);
        if (!hasHistory)
        {
            db.Meters.Remove(meter);
            if (await DirectoryWrites.SaveAsync(db, cancellationToken) is null)
            {
                await DirectoryWrites.AuditAsync(db, audit, http, "meter.deleted", "meter:" + meterId, new { meter.Serial }, cancellationToken);
                await acquisition.ReloadAsync(cancellationToken);
                return TypedResults.NoContent();
            }

            // Something else still refers to it (a record kept by another feature): retire it instead.
            meter = await db.Meters.SingleAsync(m => m.Id == id, cancellationToken);
        }

        if (meter.Status != MeterStatus.Decommissioned)
        {
            meter.Status = MeterStatus.Decommissioned;
            if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
            {
                return conflict;
            }

            await DirectoryWrites.AuditAsync(db, audit, http, "meter.retired", "meter:" + meterId, new { meter.Serial }, cancellationToken);
            await acquisition.ReloadAsync(cancellationToken);
        }

        return TypedResults.Ok(ToDto(meter));
    }

    /// <summary>Gateways, filtered by site, transport, enabled state or a search in the name or host.</summary>
    public static async Task<Ok<Page<GatewayDto>>> ListGateways(
        KilowalletDb db, long? siteId, GatewayTransport? transport, bool? enabled, string? search, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.Gateways.AsNoTracking();
        if (siteId is { } site)
        {
            var key = new SiteId(site);
            query = query.Where(g => g.SiteId == key);
        }

        if (transport is { } wanted)
        {
            query = query.Where(g => g.Transport == wanted);
        }

        if (enabled is { } on)
        {
            query = query.Where(g => g.Enabled == on);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(g => g.Name.Contains(term) || (g.Host != null && g.Host.Contains(term)));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(g => g.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<GatewayDto>(items.ConvertAll(ToDto), total, paging.Offset, paging.Limit));
    }

    public static async Task<Results<Ok<GatewayDto>, NotFound>> GetGateway(KilowalletDb db, long gatewayId, CancellationToken cancellationToken)
    {
        var id = new GatewayId(gatewayId);
        var gateway = await db.Gateways.AsNoTracking().SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        return gateway is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(gateway));
    }

    public static async Task<Results<Created<GatewayDto>, ProblemHttpResult>> CreateGateway(
        GatewayRequest request, KilowalletDb db, AcquisitionService acquisition, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var site = await ResolveSiteAsync(db, request.SiteId, errors, cancellationToken);
        var gateway = new Gateway { SiteId = site ?? default, Name = string.Empty };
        if (await CheckGatewayAsync(db, gateway, request, errors, cancellationToken) is { } problem)
        {
            return problem;
        }

        db.Gateways.Add(gateway);
        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "gateway.created", "gateway:" + gateway.Id, request, cancellationToken);
        await acquisition.ReloadAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/gateways/{gateway.Id}", ToDto(gateway));
    }

    public static async Task<Results<Ok<GatewayDto>, NotFound, ProblemHttpResult>> UpdateGateway(
        long gatewayId, GatewayRequest request, KilowalletDb db, AcquisitionService acquisition, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = new GatewayId(gatewayId);
        var gateway = await db.Gateways.SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (gateway is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors();
        if (request.SiteId is { } siteId && siteId != gateway.SiteId.Value)
        {
            errors.Invalid("site_code", "a gateway stays at its site");
        }

        GatewayId? key = id;
        if (request.Transport is { } transport && transport != gateway.Transport
            && await db.Meters.AnyAsync(m => m.GatewayId == key && m.Status != MeterStatus.Decommissioned, cancellationToken))
        {
            var before = (DirectoryRules.UsesUnitId(gateway.Transport), DirectoryRules.UsesDlt645Address(gateway.Transport));
            if (before != (DirectoryRules.UsesUnitId(transport), DirectoryRules.UsesDlt645Address(transport)))
            {
                errors.Conflict("transport", "the gateway's meters are addressed for its current protocol; move or decommission them first");
            }
        }

        if (await CheckGatewayAsync(db, gateway, request, errors, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "gateway.updated", "gateway:" + gateway.Id, request, cancellationToken);
        await acquisition.ReloadAsync(cancellationToken);
        return TypedResults.Ok(ToDto(gateway));
    }

    /// <summary>Deletes a gateway no meter is (or was) behind; otherwise 409 (disable it instead).</summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteGateway(
        long gatewayId, KilowalletDb db, AcquisitionService acquisition, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        var id = new GatewayId(gatewayId);
        var gateway = await db.Gateways.SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (gateway is null)
        {
            return TypedResults.NotFound();
        }

        GatewayId? key = id;
        if (await db.Meters.AnyAsync(m => m.GatewayId == key, cancellationToken))
        {
            return Problems.Conflict($"Meters are (or were) behind gateway {gateway.Name}; move them to another gateway, or disable this one.");
        }

        db.Gateways.Remove(gateway);
        if (await DirectoryWrites.SaveAsync(db, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await DirectoryWrites.AuditAsync(db, audit, http, "gateway.deleted", "gateway:" + gatewayId, new { gateway.Name }, cancellationToken);
        await acquisition.ReloadAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<SiteId?> ResolveSiteAsync(KilowalletDb db, long? siteId, FieldErrors errors, CancellationToken cancellationToken)
    {
        if (siteId is not { } value)
        {
            errors.Invalid("site_code", "is required");
            return null;
        }

        var id = new SiteId(value);
        if (!await db.Sites.AnyAsync(s => s.Id == id, cancellationToken))
        {
            errors.Invalid("site_code", $"no site {value}");
            return null;
        }

        return id;
    }

    private static async Task<ProblemHttpResult?> CheckGatewayAsync(KilowalletDb db, Gateway gateway, GatewayRequest request, FieldErrors errors, CancellationToken cancellationToken)
    {
        var fields = DirectoryRules.Check(
            new DirectoryRules.GatewayFields(
                request.Name, request.Transport, request.Host, request.Port, request.SerialDevice, request.BaudRate, request.Parity, request.TimeoutMs, request.Enabled),
            errors);
        if (!errors.AnyInvalid && await db.Gateways.AnyAsync(g => g.SiteId == gateway.SiteId && g.Name == fields.Name && g.Id != gateway.Id, cancellationToken))
        {
            DirectoryRules.Taken(errors, "name", $"gateway '{fields.Name}'");
        }

        if (errors.Any)
        {
            return Problems.Of(errors);
        }

        DirectoryRules.Apply(fields, gateway);
        return null;
    }

    /// <summary>Resolves the request's references within the meter's site, checks it by the directory rules, and writes it into <paramref name="meter"/> when valid.</summary>
    private static async Task<ProblemHttpResult?> CheckMeterAsync(
        KilowalletDb db, MeterProfileCatalog profiles, Meter meter, MeterRequest request, FieldErrors errors, bool isNew, CancellationToken cancellationToken)
    {
        var site = meter.SiteId;
        Gateway? gateway = null;
        if (request.GatewayId is { } gatewayId)
        {
            var key = new GatewayId(gatewayId);
            gateway = await db.Gateways.AsNoTracking().SingleOrDefaultAsync(g => g.Id == key && g.SiteId == site, cancellationToken);
            if (gateway is null)
            {
                errors.Invalid("gateway", $"no gateway {gatewayId} at this site");
            }
        }

        Shop? shop = null;
        if (request.ShopId is { } shopId)
        {
            var key = new ShopId(shopId);
            shop = await db.Shops.AsNoTracking().SingleOrDefaultAsync(s => s.Id == key && s.SiteId == site, cancellationToken);
            if (shop is null)
            {
                errors.Invalid("shop_unit", $"no shop {shopId} at this site");
            }
        }

        if (isNew && request.AccountId is { } accountId)
        {
            var key = new AccountId(accountId);
            var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == key && a.SiteId == site, cancellationToken);
            if (account is null)
            {
                errors.Invalid("account_number", $"no account {accountId} at this site");
            }
            else if (account.Status != AccountStatus.Open)
            {
                errors.Invalid("account_number", $"account {account.Number} is closed");
            }
        }

        GatewayId? gatewayKey = gateway?.Id;
        var neighbours = gateway is null
            ? []
            : await db.Meters.AsNoTracking().Where(m => m.GatewayId == gatewayKey && m.Id != meter.Id).ToListAsync(cancellationToken);
        var fields = DirectoryRules.Check(
            new DirectoryRules.MeterFields(
                request.Serial, request.ProfileName, request.UnitId, request.Dlt645Address, request.MqttClientId, request.CtRatio, request.PtRatio,
                request.PhaseCount, request.Purpose, request.Status, request.FeedsOwnGateway),
            gateway,
            request.AccountId is not null,
            neighbours,
            profiles,
            errors);
        if (!errors.AnyInvalid && await db.Meters.AnyAsync(m => m.Serial == fields.Serial && m.Id != meter.Id, cancellationToken))
        {
            DirectoryRules.Taken(errors, "serial", $"meter '{fields.Serial}'");
        }

        if (errors.Any)
        {
            return Problems.Of(errors);
        }

        DirectoryRules.Apply(fields, gateway, shop, request.AccountId is { } id ? new AccountId(id) : null, meter);
        return null;
    }

    private static MeterDto ToDto(Meter m) => new(
        m.Id.Value, m.SiteId.Value, m.Serial, m.ProfileName, m.GatewayId?.Value, m.UnitId, m.Dlt645Address, m.MqttClientId,
        m.CtRatio, m.PtRatio, m.PhaseCount, m.ShopId?.Value, m.AccountId?.Value, m.Purpose, m.Status, m.FeedsOwnGateway);

    private static GatewayDto ToDto(Gateway g) => new(
        g.Id.Value, g.SiteId.Value, g.Name, g.Transport, g.Host, g.Port, g.SerialDevice, g.BaudRate, g.Parity, g.TimeoutMs, g.Enabled);
}
