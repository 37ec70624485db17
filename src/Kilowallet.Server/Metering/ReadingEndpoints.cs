using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Api;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Metering;

/// <summary>
/// /api/v1/meters/{id}/readings (the stored register readings) and /api/v1/meters/{id}/usage (rated
/// energy and cost per hour, day or month of the site's local time, split by tariff band).
/// </summary>
public static class ReadingEndpoints
{
    /// <summary>The most periods one usage request returns (a larger range is refused, not cut).</summary>
    public const int MaxPeriods = 1500;

    public static void Map(IEndpointRouteBuilder api)
    {
        var meters = api.MapGroup("/meters/{meterId:long}").WithTags("Meters").RequireAuthorization(Auth.Policies.Staff);
        meters.MapGet("/readings", ListReadings);
        meters.MapGet("/usage", Usage);
    }

    /// <summary>
    /// One stored reading. RegisterKwh is the meter's own total register; EnergyKwh and the band
    /// registers are on the primary side (× CT × PT). Live values are as the meter reported them.
    /// </summary>
    public sealed record ReadingDto(
        DateTimeOffset At, decimal RegisterKwh, decimal EnergyKwh, decimal? SharpKwh, decimal? PeakKwh, decimal? FlatKwh, decimal? ValleyKwh,
        double? VoltageA, double? VoltageB, double? VoltageC, double? CurrentA, double? CurrentB, double? CurrentC,
        double? PowerKw, double? PowerFactor, double? FrequencyHz, RelayReport Relay, SampleSource Source, int Flags);

    public sealed record UsageBandDto(TariffBand Band, decimal EnergyKwh, decimal Cost);

    /// <summary>One hour, day or month starting at <see cref="Start"/> (site local time, with its offset).</summary>
    public sealed record UsagePeriodDto(DateTimeOffset Start, decimal EnergyKwh, decimal EstimatedKwh, decimal Cost, IReadOnlyList<UsageBandDto> Bands);

    public sealed record UsageDto(
        long MeterId, string By, string TimeZone, string Currency, DateTimeOffset From, DateTimeOffset To, decimal EnergyKwh, decimal Cost,
        IReadOnlyList<UsagePeriodDto> Periods);

    /// <summary>Readings in [from, to), newest first unless order=asc.</summary>
    public static async Task<Results<Ok<Page<ReadingDto>>, NotFound, ProblemHttpResult>> ListReadings(
        KilowalletDb db, long meterId, DateTimeOffset? from, DateTimeOffset? to, string? order, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var id = new MeterId(meterId);
        var meter = await db.Meters.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meter is null)
        {
            return TypedResults.NotFound();
        }

        if (from is { } f && to is { } t && t <= f)
        {
            return Problems.Validation("to", "must be after from");
        }

        if (order is not (null or "asc" or "desc"))
        {
            return Problems.Validation("order", "must be asc or desc");
        }

        var paging = Paging.From(offset, limit);
        var query = db.Readings.AsNoTracking().Where(r => r.MeterId == id);
        if (from is { } start)
        {
            query = query.Where(r => r.At >= start);
        }

        if (to is { } end)
        {
            query = query.Where(r => r.At < end);
        }

        var total = await query.CountAsync(cancellationToken);
        var ordered = order == "asc" ? query.OrderBy(r => r.At) : query.OrderByDescending(r => r.At);
        var rows = await ordered.Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        var ratio = meter.CtRatio * meter.PtRatio;
        decimal Primary(long wh) => decimal.Floor(wh * ratio) / 1000m;
        decimal? Band(long? wh) => wh is { } v ? Primary(v) : null;
        var items = rows.ConvertAll(r => new ReadingDto(
            r.At, r.EnergyWh / 1000m, Primary(r.EnergyWh), Band(r.SharpWh), Band(r.PeakWh), Band(r.FlatWh), Band(r.ValleyWh),
            r.VoltageA, r.VoltageB, r.VoltageC, r.CurrentA, r.CurrentB, r.CurrentC, r.PowerKw, r.PowerFactor, r.FrequencyHz, r.Relay, r.Source, r.Flags));
        return TypedResults.Ok(new Page<ReadingDto>(items, total, paging.Offset, paging.Limit));
    }

    /// <summary>
    /// Rated usage by hour, day (default) or month of the site's local time, every period of
    /// [from, to) listed (zero when nothing was used), with energy and cost per tariff band. The
    /// range defaults to the last 48 hours, 31 days or 12 months and is widened to whole periods.
    /// </summary>
    public static async Task<Results<Ok<UsageDto>, NotFound, ProblemHttpResult>> Usage(
        KilowalletDb db, TimeProvider clock, long meterId, string? by, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var id = new MeterId(meterId);
        var meter = await db.Meters.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meter is null)
        {
            return TypedResults.NotFound();
        }

        var unit = (by ?? "day").Trim().ToLowerInvariant();
        if (unit is not ("hour" or "day" or "month"))
        {
            return Problems.Validation("by", "must be hour, day or month");
        }

        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == meter.SiteId, cancellationToken);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone);
        var now = clock.GetUtcNow();
        var end = to ?? now;
        var start = from ?? unit switch
        {
            "hour" => end.AddHours(-48),
            "day" => end.AddDays(-31),
            _ => end.AddMonths(-12),
        };
        if (end <= start)
        {
            return Problems.Validation("to", "must be after from");
        }

        var periods = new List<DateTimeOffset>();
        var period = Floor(TimeZoneInfo.ConvertTime(start, zone), unit, zone);
        while (period < end)
        {
            periods.Add(period);
            if (periods.Count > MaxPeriods)
            {
                return Problems.Validation("from", $"at most {MaxPeriods} periods of one {unit} at a time; narrow from and to");
            }

            period = Next(period, unit, zone);
        }

        var fromUtc = periods[0].ToUniversalTime();
        var toUtc = period.ToUniversalTime();
        var buckets = await db.UsageHourly.AsNoTracking()
            .Where(u => u.MeterId == id && u.HourStart >= fromUtc && u.HourStart < toUtc)
            .Select(u => new { u.HourStart, u.Band, u.EnergyWh, u.EstimatedWh, u.AmountPico })
            .ToListAsync(cancellationToken);
        var byPeriod = buckets
            .GroupBy(b => Floor(TimeZoneInfo.ConvertTime(b.HourStart, zone), unit, zone))
            .ToDictionary(g => g.Key, g => g.ToList());
        var result = new List<UsagePeriodDto>(periods.Count);
        foreach (var p in periods)
        {
            if (!byPeriod.TryGetValue(p, out var rows))
            {
                result.Add(new UsagePeriodDto(p, 0m, 0m, 0m, []));
                continue;
            }

            var bands = rows.GroupBy(r => r.Band).OrderBy(g => g.Key)
                .Select(g => new UsageBandDto(g.Key, g.Sum(r => r.EnergyWh) / 1000m, Cost(g.Sum(r => r.AmountPico))))
                .ToList();
            result.Add(new UsagePeriodDto(p, rows.Sum(r => r.EnergyWh) / 1000m, rows.Sum(r => r.EstimatedWh) / 1000m, Cost(rows.Sum(r => r.AmountPico)), bands));
        }

        return TypedResults.Ok(new UsageDto(
            meterId, unit, site.TimeZone, site.Currency, periods[0], period, buckets.Sum(b => b.EnergyWh) / 1000m, Cost(buckets.Sum(b => b.AmountPico)), result));
    }

    /// <summary>Exact accrued money (pico units) shown to a person: rounded to cents half away from zero.</summary>
    private static decimal Cost(long pico) => MoneyRounding.ForDisplay(MoneyPrecision.FromPicoUnits(pico)).Amount;

    private static DateTimeOffset Floor(DateTimeOffset local, string unit, TimeZoneInfo zone)
    {
        var wall = local.DateTime;
        var floored = unit switch
        {
            "hour" => new DateTime(wall.Year, wall.Month, wall.Day, wall.Hour, 0, 0, DateTimeKind.Unspecified),
            "day" => wall.Date,
            _ => new DateTime(wall.Year, wall.Month, 1, 0, 0, 0, DateTimeKind.Unspecified),
        };
        return unit == "hour" ? new DateTimeOffset(floored, local.Offset) : AtLocal(floored, zone);
    }

    private static DateTimeOffset Next(DateTimeOffset periodStart, string unit, TimeZoneInfo zone) => unit switch
    {
        "hour" => TimeZoneInfo.ConvertTime(periodStart.AddHours(1), zone),
        "day" => AtLocal(periodStart.DateTime.Date.AddDays(1), zone),
        _ => AtLocal(periodStart.DateTime.Date.AddMonths(1), zone),
    };

    /// <summary>The instant a local wall-clock time names (a time skipped by a clock change moves forward an hour).</summary>
    private static DateTimeOffset AtLocal(DateTime wall, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(wall))
        {
            wall = wall.AddHours(1);
        }

        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }
}
