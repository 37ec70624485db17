using System.Globalization;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Storage;

namespace Kilowallet.Server.Tariffs;

/// <summary>
/// Re-rating, the explicit way to change what a period cost: the account's stored readings of the period
/// are rated again under a plan (its version timeline) exactly as <see cref="ReadingBiller"/> rated them,
/// and compared per local date and band with what was charged (the hourly usage buckets the account
/// paid). Applying posts the whole difference as one audited ledger adjustment; readings and usage
/// buckets are never rewritten.
/// </summary>
public sealed class Rerater(
    StorageConnections connections,
    MeterDirectory meters,
    TariffCatalog tariffs,
    ReadingBiller biller,
    AccountMoney money,
    AuditLog audit)
{
    public const string AuditAction = "tariff.rerated";

    /// <summary>The longest period one re-rating covers.</summary>
    public const int MaxDays = 366;

    public sealed record Period(AccountId Account, SiteId Site, long PlanId, string PlanCode, TariffPlan Plan, DateOnly From, DateOnly To);

    public sealed record MeterProblem(MeterId Meter, RerateProblem Problem);

    /// <summary>A re-rating's comparison, per local date and band (all meters together).</summary>
    /// <param name="Period">What was asked.</param>
    /// <param name="Lines">Old and new energy and exact amounts per local date and band.</param>
    /// <param name="Problems">Intervals the plan does not rate (left out of the new side).</param>
    /// <param name="Meters">The meters whose usage the account paid in the period.</param>
    /// <param name="SharedMeters">
    /// Meters that some other account (or nobody) paid for during part of the period: their readings
    /// there are re-rated too, so such a preview cannot be applied.
    /// </param>
    public sealed record Preview(Period Period, IReadOnlyList<RerateLine> Lines, IReadOnlyList<MeterProblem> Problems, IReadOnlyList<MeterId> Meters, IReadOnlyList<MeterId> SharedMeters)
    {
        public Money OldAmount => new(Lines.Sum(l => l.OldAmount.Amount));

        public Money NewAmount => new(Lines.Sum(l => l.NewAmount.Amount));

        /// <summary>Exact: positive means the tenant was undercharged.</summary>
        public Money Difference => NewAmount - OldAmount;

        /// <summary>What the ledger adjustment credits the tenant, in whole fen (half away from zero): the negated difference.</summary>
        public decimal Adjustment => -MoneyRounding.ForDisplay(Difference).Amount;
    }

    /// <summary>What the audit entry records, and what a retry with the same key returns.</summary>
    public sealed record Applied(
        long AccountId, long PlanId, string PlanCode, DateOnly From, DateOnly To, string Reason,
        decimal OldAmount, decimal NewAmount, decimal Difference, decimal Adjustment, long? EntryId, IReadOnlyList<long> Meters, string Key);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The account's site and today's local date there, or null when the account does not exist.</summary>
    public async Task<(SiteId Site, DateOnly Today)?> AccountSiteAsync(AccountId account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var site = await connections.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT site_id FROM accounts WHERE id = @id";
                command.AddParameter("@id", account.Value);
                return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? (long?)Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;
            },
            cancellationToken);
        if (site is not { } id)
        {
            return null;
        }

        var calendar = await tariffs.CalendarAsync(new SiteId(id), cancellationToken);
        return (new SiteId(id), calendar.LocalDateOf(now));
    }

    /// <summary>The plan's site and code, or null when there is no such plan.</summary>
    public async Task<(SiteId Site, string Code, TariffPlan Plan)?> PlanAsync(long planId, CancellationToken cancellationToken)
    {
        if (await tariffs.PlanAsync(planId, cancellationToken) is not { } plan)
        {
            return null;
        }

        var site = await connections.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT site_id FROM tariff_plans WHERE id = @id";
                command.AddParameter("@id", planId);
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            },
            cancellationToken);
        return (new SiteId(site), plan.Code, plan);
    }

    /// <summary>Rates the period again under the plan and compares with what the account was charged. Writes nothing.</summary>
    public async Task<Preview> PreviewAsync(Period period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var calendar = await tariffs.CalendarAsync(period.Site, cancellationToken);
        var rater = new TariffRater(TariffTimeline.For(period.Plan), calendar);
        var start = calendar.StartOf(period.From);
        var end = calendar.StartOf(period.To.AddDays(1));
        var charged = await ChargedAsync(period.Account, start, end, calendar, cancellationToken);
        var lines = new Dictionary<(DateOnly, TariffBand), RerateLine>();
        var problems = new List<MeterProblem>();
        foreach (var (meterId, slices) in charged.OrderBy(c => c.Key.Value))
        {
            var meter = await meters.FindAsync(meterId, cancellationToken)
                ?? throw new InvalidOperationException($"Meter {meterId} is not in the meter directory.");
            var policy = new RatingPolicy(biller.ExpectedReadingInterval, maxPowerKw: meter.PowerLimitKw is { } limit ? Math.Max(limit * 3, 1m) : null);
            var intervals = await IntervalsAsync(meter, rater, policy, calendar, period.From, start, end, cancellationToken);
            var report = Rerating.Compare(slices, intervals, rater, policy);
            foreach (var line in report.Lines.Where(l => l.LocalDate >= period.From && l.LocalDate <= period.To))
            {
                lines[(line.LocalDate, line.Band)] = lines.TryGetValue((line.LocalDate, line.Band), out var sum)
                    ? sum with
                    {
                        OldEnergyWh = sum.OldEnergyWh + line.OldEnergyWh,
                        OldAmount = sum.OldAmount + line.OldAmount,
                        NewEnergyWh = sum.NewEnergyWh + line.NewEnergyWh,
                        NewAmount = sum.NewAmount + line.NewAmount,
                    }
                    : line;
            }

            problems.AddRange(report.Problems.Select(p => new MeterProblem(meterId, p)));
        }

        var shared = await SharedAsync(period.Account, [.. charged.Keys], start, end, cancellationToken);
        return new Preview(period, [.. lines.OrderBy(l => l.Key).Select(l => l.Value)], problems, [.. charged.Keys.OrderBy(m => m.Value)], shared);
    }

    /// <summary>The earlier application of this key, if any.</summary>
    public async Task<Applied?> FindAppliedAsync(AccountId account, IdempotencyKey key, CancellationToken cancellationToken)
    {
        var marker = "%\"key\":" + JsonSerializer.Serialize(key.ToString(), Json) + "%";
        var details = await connections.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT details FROM audit_log WHERE action = @action AND target = @target AND details LIKE @marker ORDER BY id LIMIT 1";
                command.AddParameter("@action", AuditAction);
                command.AddParameter("@target", "account:" + account.Value.ToString(CultureInfo.InvariantCulture));
                command.AddParameter("@marker", marker);
                return await command.ExecuteScalarAsync(cancellationToken) as string;
            },
            cancellationToken);
        return details is null ? null : JsonSerializer.Deserialize<Applied>(details, Json);
    }

    /// <summary>
    /// Posts the preview's difference as one adjustment (none when it rounds to zero) and audits the
    /// re-rating. Idempotent by <paramref name="key"/>: the adjustment is keyed by it and a re-rating
    /// already audited under it is returned as it was.
    /// </summary>
    public async Task<(Applied Result, bool Created)> ApplyAsync(Preview preview, string reason, string actor, IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var period = preview.Period;
        if (await FindAppliedAsync(period.Account, key, cancellationToken) is { } earlier)
        {
            return (earlier, false);
        }

        long? entry = null;
        var adjustment = preview.Adjustment;
        if (adjustment != 0)
        {
            var why = string.Create(CultureInfo.InvariantCulture, $"re-rating {period.PlanCode} {period.From:yyyy-MM-dd}–{period.To:yyyy-MM-dd}: {reason.Trim()}");
            var result = await money.AdjustAsync(period.Account, adjustment, why, actor, key, cancellationToken);
            entry = result.EntryId;
        }

        var applied = new Applied(
            period.Account.Value, period.PlanId, period.PlanCode, period.From, period.To, reason.Trim(),
            preview.OldAmount.Amount, preview.NewAmount.Amount, preview.Difference.Amount, adjustment, entry,
            [.. preview.Meters.Select(m => m.Value)], key.ToString());
        await connections.WriteAsync(
            async (connection, transaction) =>
            {
                await audit.RecordAsync(connection, transaction, actor, AuditAction, "account:" + period.Account.Value.ToString(CultureInfo.InvariantCulture), applied, cancellationToken);
                return 0;
            },
            cancellationToken);
        return (applied, true);
    }

    /// <summary>Which of <paramref name="meterIds"/> have usage in [start, end) that another account (or no account) paid for.</summary>
    private async Task<List<MeterId>> SharedAsync(AccountId account, IReadOnlyList<MeterId> meterIds, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var shared = new List<MeterId>();
        foreach (var meter in meterIds.OrderBy(m => m.Value))
        {
            var other = await connections.ReadAsync(
                async connection =>
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT COUNT(*) FROM usage_hourly WHERE meter_id = @m AND account_key <> @account AND hour_start >= @from AND hour_start < @to AND energy_wh <> 0";
                    command.AddParameter("@m", meter.Value);
                    command.AddParameter("@account", account.Value);
                    command.AddParameter("@from", start.ToUnixTimeMilliseconds());
                    command.AddParameter("@to", end.ToUnixTimeMilliseconds());
                    return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
                },
                cancellationToken);
            if (other > 0)
            {
                shared.Add(meter);
            }
        }

        return shared;
    }

    /// <summary>What the account was charged in [start, end), per meter, as one slice per local date and band (exact amounts).</summary>
    private async Task<Dictionary<MeterId, List<RatedSlice>>> ChargedAsync(AccountId account, DateTimeOffset start, DateTimeOffset end, SiteCalendar calendar, CancellationToken cancellationToken)
    {
        var sums = new Dictionary<(long Meter, DateOnly Date, TariffBand Band), (long Energy, long Pico)>();
        await connections.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT meter_id, hour_start, band, energy_wh, amount_pico FROM usage_hourly WHERE account_key = @account AND hour_start >= @from AND hour_start < @to";
                command.AddParameter("@account", account.Value);
                command.AddParameter("@from", start.ToUnixTimeMilliseconds());
                command.AddParameter("@to", end.ToUnixTimeMilliseconds());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var key = (reader.GetInt64(0), calendar.LocalDateOf(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))), (TariffBand)reader.GetInt32(2));
                    var sum = sums.GetValueOrDefault(key);
                    sums[key] = (sum.Energy + reader.GetInt64(3), sum.Pico + reader.GetInt64(4));
                }

                return 0;
            },
            cancellationToken);
        var charged = new Dictionary<MeterId, List<RatedSlice>>();
        foreach (var ((meter, date, band), (energy, pico)) in sums)
        {
            var id = new MeterId(meter);
            if (!charged.TryGetValue(id, out var list))
            {
                charged[id] = list = [];
            }

            var from = calendar.StartOf(date);
            list.Add(new RatedSlice(from, calendar.StartOf(date.AddDays(1)), date, band, default, 0, energy, 0m, MoneyPrecision.FromPicoUnits(pico), false));
        }

        return charged;
    }

    /// <summary>
    /// The meter's intervals that overlap [start, end), from its stored readings, formed as
    /// <see cref="MeterReadingRater"/> forms them: consecutive readings scaled by CT × PT, band register
    /// deltas when the profile trusts them and the plan prices those bands, and the month-to-date energy
    /// carried from the last reading at or before the local month start of <paramref name="from"/>.
    /// </summary>
    private async Task<List<RatingRequest>> IntervalsAsync(
        MeterContext meter, TariffRater rater, RatingPolicy policy, SiteCalendar calendar, DateOnly from, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var monthStart = calendar.StartOf(new DateOnly(from.Year, from.Month, 1));
        var readings = await connections.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    SELECT at, energy_wh, sharp_wh, peak_wh, flat_wh, valley_wh FROM readings
                    WHERE meter_id = @m
                      AND at >= COALESCE((SELECT MAX(at) FROM readings WHERE meter_id = @m AND at <= @monthStart), @monthStart)
                      AND at <= COALESCE((SELECT MIN(at) FROM readings WHERE meter_id = @m AND at >= @end), @end)
                    ORDER BY at
                    """;
                command.AddParameter("@m", meter.Id.Value);
                command.AddParameter("@monthStart", monthStart.ToUnixTimeMilliseconds());
                command.AddParameter("@end", end.ToUnixTimeMilliseconds());
                var list = new List<CumulativeReading>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var at = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0));
                    var total = meter.Scale(reader.GetInt64(1));
                    if (meter.UsesBandRegisters && !reader.IsDBNull(2) && !reader.IsDBNull(3) && !reader.IsDBNull(4) && !reader.IsDBNull(5))
                    {
                        // As ReadingBiller: trusted band registers also define the total.
                        var bands = new BandEnergyWh(meter.Scale(reader.GetInt64(2)), meter.Scale(reader.GetInt64(3)), meter.Scale(reader.GetInt64(4)), meter.Scale(reader.GetInt64(5)));
                        list.Add(new CumulativeReading(at, bands.Total, bands));
                    }
                    else
                    {
                        list.Add(new CumulativeReading(at, total));
                    }
                }

                return list;
            },
            cancellationToken);

        var intervals = new List<RatingRequest>();
        var scratch = new RatedSliceBuffer(64);
        CumulativeReading? last = null;
        var monthToDate = 0L;
        foreach (var reading in readings)
        {
            if (last is not { } previous)
            {
                last = reading;
                continue;
            }

            var request = new RatingRequest(
                previous.At,
                reading.At,
                reading.TotalWh - previous.TotalWh,
                monthToDate,
                reading.BandsWh is { } now && previous.BandsWh is { } before ? now - before : null);
            scratch.Clear();
            var result = rater.Rate(request, policy, scratch);
            if (result is { Outcome: RatingOutcome.Quarantined, Reason: QuarantineReason.BandWithoutPrice })
            {
                // As MeterReadingRater: the meter's own bands do not fit the plan, so split by time.
                request = request with { BandEnergy = null };
                scratch.Clear();
                result = rater.Rate(request, policy, scratch);
            }

            if (request.End > start && request.Start < end)
            {
                intervals.Add(request);
            }

            switch (result.Outcome)
            {
                case RatingOutcome.Rated:
                    monthToDate = result.MonthToDateWhAtEnd;
                    last = reading;
                    break;
                case RatingOutcome.Quarantined:
                    var (a, b) = (calendar.LocalDateOf(previous.At), calendar.LocalDateOf(reading.At));
                    monthToDate = a.Year == b.Year && a.Month == b.Month ? monthToDate : 0;
                    last = reading;
                    break;
                default:
                    break;
            }
        }

        return intervals;
    }
}
