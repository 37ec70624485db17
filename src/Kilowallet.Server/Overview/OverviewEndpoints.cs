using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Server.Alarms;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Metering.Acquisition;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kilowallet.Server.Overview;

/// <summary>/api/v1/sites/{id}/overview (the mall at a glance) and /api/v1/live (server-sent events of meter and alarm changes).</summary>
public static class OverviewEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/sites/{siteId:long}/overview", Get).WithTags("Overview").RequireAuthorization(Policies.Staff);
        api.MapGet("/live", Stream).WithTags("Overview").RequireAuthorization(Policies.Staff).ExcludeFromDescription();
        api.MapPost("/meters/{meterId:long}/watch", Watch).WithTags("Overview").RequireAuthorization(Policies.Staff);
    }

    public sealed record Counters(int Total, int Ok, int Low, int Tripped, int Offline, int Alarm, int NoData);

    public sealed record OverviewDto(Counters Counters, IReadOnlyList<SupplyPoint> Points);

    public sealed record LiveEvent(long Meter, string Relay, string Link, double? PowerKw, double? VoltageA, double? CurrentA, double? PowerFactor, double? FrequencyHz, DateTimeOffset? At);

    public static async Task<Ok<OverviewDto>> Get(long siteId, MallStatus status, CancellationToken cancellationToken)
    {
        var points = await status.ListAsync(new SiteId(siteId), cancellationToken);
        return TypedResults.Ok(new OverviewDto(Count(points), points));
    }

    public static Counters Count(IReadOnlyList<SupplyPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        int Of(SupplyState state) => points.Count(p => p.State == state);
        return new Counters(points.Count, Of(SupplyState.Ok), Of(SupplyState.Low), Of(SupplyState.Tripped), Of(SupplyState.Offline), Of(SupplyState.Alarm), Of(SupplyState.NoData));
    }

    /// <summary>Asks for fast live polls of a meter while its page is open (the page calls this every half minute).</summary>
    public static NoContent Watch(long meterId, LiveStateStore live)
    {
        live.Watch(new MeterId(meterId), TimeSpan.FromSeconds(60));
        return TypedResults.NoContent();
    }

    /// <summary>Server-sent events: "meter" (live values, relay, link) and "alarm" changes, for the overview and meter pages.</summary>
    public static async Task Stream(HttpContext http, LiveStateStore live, AlarmService alarms, long? meter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        using var meters = live.Subscribe();
        using var alarmChanges = alarms.Subscribe();
        await http.Response.WriteAsync(": connected\n\n", cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
        var meterRead = meters.Reader.ReadAsync(cancellationToken).AsTask();
        var alarmRead = alarmChanges.Reader.ReadAsync(cancellationToken).AsTask();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var done = await Task.WhenAny(meterRead, alarmRead);
                if (done == meterRead)
                {
                    var state = await meterRead;
                    meterRead = meters.Reader.ReadAsync(cancellationToken).AsTask();
                    if (meter is { } only && state.Meter.Value != only)
                    {
                        continue;
                    }

                    var data = new LiveEvent(state.Meter.Value, state.Relay.ToString().ToLowerInvariant(), state.Link.ToString().ToLowerInvariant(), state.Live.PowerKw, state.Live.VoltageA, state.Live.CurrentA, state.Live.PowerFactor, state.Live.FrequencyHz, state.At);
                    await http.Response.WriteAsync("event: meter\ndata: " + JsonSerializer.Serialize(data, JsonSerializerOptions.Web) + "\n\n", cancellationToken);
                }
                else
                {
                    var change = await alarmRead;
                    alarmRead = alarmChanges.Reader.ReadAsync(cancellationToken).AsTask();
                    await http.Response.WriteAsync("event: alarm\ndata: " + JsonSerializer.Serialize(change, JsonSerializerOptions.Web) + "\n\n", cancellationToken);
                }

                await http.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The browser went away.
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // The server is stopping.
        }
    }
}
