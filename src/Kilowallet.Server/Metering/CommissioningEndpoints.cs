using System.Net.Sockets;
using Kilowallet.Domain;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Server.Api;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Metering;

/// <summary>
/// Commissioning test reads: read a meter now, through acquisition, and see every decoded value and
/// the raw registers or DL/T 645 data. Works for a saved meter and for a definition not saved yet
/// (gateway + unit id or address + profile), so wiring can be checked before anything is stored.
/// </summary>
public static class CommissioningEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var meters = api.MapGroup("/meters").WithTags("Commissioning").RequireAuthorization(Auth.Policies.Operate);
        meters.MapPost("/{meterId:long}/test-read", TestReadMeter);
        meters.MapPost("/test-read", TestReadDefinition);
    }

    /// <summary>A meter not saved yet: the gateway it is behind, its profile, and its unit id (Modbus) or 12-digit address (DL/T 645).</summary>
    public sealed record TestReadRequest(long? GatewayId, string? ProfileName, int? UnitId, string? Dlt645Address);

    /// <summary>
    /// Reads a saved meter now. 200 with the reading, also when the meter did not answer
    /// (answered: false and the reason); 422 when the meter cannot be read on demand (a 4G meter
    /// that pushes its readings, no gateway, an unknown profile).
    /// </summary>
    public static async Task<Results<Ok<TestReading>, NotFound, ProblemHttpResult>> TestReadMeter(
        long meterId, KilowalletDb db, MeterDirectory directory, AcquisitionService acquisition, CancellationToken cancellationToken)
    {
        var id = new MeterId(meterId);
        var meter = await db.Meters.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meter is null)
        {
            return TypedResults.NotFound();
        }

        if (meter.GatewayId is not { } gatewayId)
        {
            return Problems.Unprocessable("The meter cannot be test-read.", "It has no gateway; 4G meters push their readings over MQTT and are not read on demand.");
        }

        var gateway = await db.Gateways.AsNoTracking().SingleAsync(g => g.Id == gatewayId, cancellationToken);
        if (gateway.Transport == GatewayTransport.Mqtt || meter.MqttClientId is not null)
        {
            return Problems.Unprocessable("The meter cannot be test-read.", "4G meters push their readings over MQTT and are not read on demand; see its latest values instead.");
        }

        directory.Invalidate();
        if (await directory.FindAsync(id, cancellationToken) is not { } context)
        {
            return Problems.Unprocessable("The meter cannot be test-read.", $"Its profile '{meter.ProfileName}' is not in the profile catalogue.");
        }

        var (reading, problem) = await ReadAsync(acquisition, Info(gateway), context, cancellationToken);
        return reading is null ? problem! : TypedResults.Ok(reading);
    }

    /// <summary>Reads a meter definition that is not saved: checked by the same rules as a saved meter.</summary>
    public static async Task<Results<Ok<TestReading>, ProblemHttpResult>> TestReadDefinition(
        TestReadRequest request, KilowalletDb db, MeterProfileCatalog profiles, AcquisitionService acquisition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        Gateway? gateway = null;
        if (request.GatewayId is not { } gatewayId)
        {
            errors.Invalid("gateway", "is required");
        }
        else
        {
            var key = new GatewayId(gatewayId);
            gateway = await db.Gateways.AsNoTracking().SingleOrDefaultAsync(g => g.Id == key, cancellationToken);
            if (gateway is null)
            {
                errors.Invalid("gateway", $"no gateway {gatewayId}");
            }
            else if (gateway.Transport == GatewayTransport.Mqtt)
            {
                errors.Invalid("gateway", "4G meters push their readings over MQTT and are not read on demand");
            }
        }

        // The same rules as a meter about to be saved; a test read holds no bus address, so it clashes with nothing.
        var fields = DirectoryRules.Check(
            new DirectoryRules.MeterFields("test-read", request.ProfileName, request.UnitId, request.Dlt645Address, null, null, null, null, MeterPurpose.PublicArea, MeterStatus.Decommissioned, null),
            gateway,
            hasAccount: false,
            [],
            profiles,
            errors);
        if (errors.Any)
        {
            return Problems.Of(errors);
        }

        var context = new MeterContext(
            new MeterId(0), gateway!.SiteId, "test-read", profiles.Get(fields.ProfileName!), gateway.Id, fields.UnitId, fields.Dlt645Address, null, null, null,
            MeterPurpose.PublicArea, MeterStatus.Inactive, 1m, 1m, null, false);
        var (reading, problem) = await ReadAsync(acquisition, Info(gateway), context, cancellationToken);
        return reading is null ? problem! : TypedResults.Ok(reading);
    }

    /// <summary>The reading, or a 422 when the gateway's link could not even be opened (a missing serial device, a bad host name).</summary>
    private static async Task<(TestReading? Reading, ProblemHttpResult? Problem)> ReadAsync(
        AcquisitionService acquisition, GatewayInfo gateway, MeterContext meter, CancellationToken cancellationToken)
    {
        try
        {
            return (await acquisition.TestReadAsync(gateway, meter, cancellationToken), null);
        }
        catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or TimeoutException)
        {
            return (null, Problems.Unprocessable("The gateway could not be opened.", ex.Message));
        }
    }

    private static GatewayInfo Info(Gateway g) => new(g.Id, g.Name, g.Transport, g.Host, g.Port, g.SerialDevice, g.BaudRate, g.Parity, g.TimeoutMs);
}
