using System.Data.Common;
using System.Globalization;
using System.Text;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Storage;

namespace Kilowallet.Server.Reports;

/// <summary>
/// Sums hourly usage (table usage_hourly) in SQL, the same SQL on SQLite and PostgreSQL. Instants are
/// Unix milliseconds, so a local day or local hour of the site is computed in SQL as
/// (hour_start + UTC offset) / 86,400,000 (or / 3,600,000 mod 24). That needs one offset: the range
/// is cut where the site's UTC offset changes (daylight saving) and each piece is queried with its
/// own fixed offset, then the rows are merged — exact in every zone, and one query for zones without
/// daylight saving (Asia/Shanghai). Amounts are summed as two integers (pico units ÷ 10⁶ and the
/// remainder) so no sum overflows 64 bits, and joined again as an exact decimal here.
/// The meters are joined with CROSS JOIN: SQLite then walks usage_hourly by its hour index (rows
/// are written hour after hour, so a range of hours is a run of neighbouring pages) instead of
/// meter by meter through the whole table; PostgreSQL plans it as the inner join it is.
/// </summary>
public static class UsageReader
{
    private const long MsPerDay = 86_400_000;
    private const long MsPerHour = 3_600_000;
    private static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    public static async Task<List<UsageRow>> ReadAsync(DbConnection connection, UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(query);
        var merged = new Dictionary<(long Key, long Bucket, int Band), (long Energy, decimal Pico, long Estimated)>();
        var pieces = query.Bucketing is UsageBucketing.LocalDay or UsageBucketing.LocalHourOfDay
            ? OffsetPieces(query.From, query.To, query.Zone)
            : [(query.From, query.To, TimeSpan.Zero)];
        foreach (var (from, to, offset) in pieces)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Sql(query);
            command.AddParameter("@site", query.Site.Value);
            command.AddParameter("@from", from.ToUnixTimeMilliseconds());
            command.AddParameter("@to", to.ToUnixTimeMilliseconds());
            if (query.Bucketing is UsageBucketing.LocalDay or UsageBucketing.LocalHourOfDay)
            {
                command.AddParameter("@offset", (long)offset.TotalMilliseconds);
            }

            if (query.Account is { } account)
            {
                command.AddParameter("@account", account.Value);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2));
                var energy = Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture);
                var pico = (Convert.ToDecimal(reader.GetValue(4), CultureInfo.InvariantCulture) * 1_000_000m) + Convert.ToDecimal(reader.GetValue(5), CultureInfo.InvariantCulture);
                var estimated = Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture);
                merged[key] = merged.TryGetValue(key, out var sum) ? (sum.Energy + energy, sum.Pico + pico, sum.Estimated + estimated) : (energy, pico, estimated);
            }
        }

        var rows = new List<UsageRow>(merged.Count);
        foreach (var ((key, bucket, band), (energy, pico, estimated)) in merged)
        {
            var value = query.Bucketing == UsageBucketing.LocalDay ? bucket + EpochDayNumber : bucket;
            rows.Add(new UsageRow(key, value, band < 0 ? null : (TariffBand)band, energy, new Money(pico / MoneyPrecision.PicoUnitsPerMajor), estimated));
        }

        return rows;
    }

    /// <summary>The pieces of [from, to) in which the zone's UTC offset does not change (one piece for most zones).</summary>
    public static List<(DateTimeOffset From, DateTimeOffset To, TimeSpan Offset)> OffsetPieces(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var pieces = new List<(DateTimeOffset, DateTimeOffset, TimeSpan)>();
        if (to <= from)
        {
            return pieces;
        }

        var start = from;
        var offset = zone.GetUtcOffset(from);
        if (zone.SupportsDaylightSavingTime && zone.GetUtcOffset(to) == offset && (to - from).TotalDays <= 1)
        {
            return [(from, to, offset)];
        }

        if (zone.SupportsDaylightSavingTime)
        {
            // Walk hour by hour (8,760 steps a year, microseconds): offsets change on whole hours in every real zone.
            var hour = new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour), TimeSpan.Zero).AddHours(1);
            for (; hour < to; hour = hour.AddHours(1))
            {
                var next = zone.GetUtcOffset(hour);
                if (next != offset)
                {
                    pieces.Add((start, hour, offset));
                    start = hour;
                    offset = next;
                }
            }
        }

        pieces.Add((start, to, offset));
        return pieces;
    }

    private static string Sql(UsageQuery query)
    {
        var key = query.Key switch
        {
            UsageKey.Meter => "u.meter_id",
            UsageKey.Account => "u.account_key",
            UsageKey.Area => "COALESCE(s.area_id, 0)",
            UsageKey.Site => "m.site_id",
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.Key, "Unknown usage key."),
        };
        var bucket = query.Bucketing switch
        {
            UsageBucketing.None => "m.site_id",
            UsageBucketing.Hour => "u.hour_start",
            UsageBucketing.LocalDay => $"(u.hour_start + @offset) / {MsPerDay}",
            UsageBucketing.LocalHourOfDay => $"((u.hour_start + @offset) / {MsPerHour}) % 24",
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.Bucketing, "Unknown bucketing."),
        };
        var sql = new StringBuilder();
        sql.Append("SELECT ").Append(key).Append(" AS k, ").Append(bucket).Append(" AS b, ").Append(query.ByBand ? "u.band" : "-1").Append(" AS bd, ")
            .Append("SUM(u.energy_wh), SUM(u.amount_pico / 1000000), SUM(u.amount_pico % 1000000), SUM(u.estimated_wh) ")
            .Append("FROM usage_hourly u CROSS JOIN meters m ");
        if (query.Key == UsageKey.Area)
        {
            sql.Append("LEFT JOIN shops s ON s.id = m.shop_id ");
        }

        sql.Append("WHERE m.id = u.meter_id AND m.site_id = @site AND u.hour_start >= @from AND u.hour_start < @to");
        if (query.Purposes is { Count: > 0 } purposes)
        {
            sql.Append(" AND m.purpose IN (").AppendJoin(", ", purposes.Select(p => ((int)p).ToString(CultureInfo.InvariantCulture))).Append(')');
        }

        if (query.Account is not null)
        {
            sql.Append(" AND u.account_key = @account");
        }

        if (query.MeterIds is { } meters)
        {
            sql.Append(" AND u.meter_id IN (").AppendJoin(", ", meters.DefaultIfEmpty(0).Select(m => m.ToString(CultureInfo.InvariantCulture))).Append(')');
        }

        sql.Append(" GROUP BY ").Append(key).Append(", ").Append(bucket);
        if (query.ByBand)
        {
            sql.Append(", u.band");
        }

        return sql.ToString();
    }
}
