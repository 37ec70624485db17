using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;

namespace Kilowallet.Server.Metering.Billing;

/// <summary>
/// Stores, rates and accrues a batch of energy readings in one transaction: each reading is
/// inserted once (a duplicate changes nothing), each new interval is rated at the tariff in force,
/// its charge is added exactly (pico units) to the meter's hourly usage and to the paying account's
/// unposted charges, and the account's threshold crossings are recorded — all or nothing.
/// Ordering and exactly-once are enforced by the database: the readings' primary key, and an
/// optimistic version on each meter's rating state, so a second node rating the same meter retries
/// instead of rating twice.
/// </summary>
public sealed class ReadingBiller(
    StorageConnections connections,
    MeterDirectory meters,
    TariffCatalog tariffs,
    BalanceService balances,
    Alarms.AlarmService alarms,
    TimeProvider clock,
    ILogger<ReadingBiller> logger)
{
    /// <summary>The reading interval the rating policy expects; longer intervals are estimated (spread) usage.</summary>
    public TimeSpan ExpectedReadingInterval { get; set; } = TimeSpan.FromMinutes(1);

    private const int InsertChunk = 64;
    private const int MaxAttempts = 5;
    private static readonly string[] ReadingColumns =
    [
        "meter_id", "at", "energy_wh", "sharp_wh", "peak_wh", "flat_wh", "valley_wh", "voltage_a", "voltage_b", "voltage_c",
        "current_a", "current_b", "current_c", "power_kw", "power_factor", "frequency_hz", "relay", "flags", "source",
    ];


    private static readonly JsonSerializerOptions RejectedJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly ConcurrentDictionary<MeterId, Position> _states = new();

    /// <summary>
    /// Rates and stores <paramref name="samples"/> (energy readings of any meters, any order).
    /// <paramref name="expectedInterval"/> overrides the usual reading interval (e.g. hourly history is not "estimated").
    /// </summary>
    public async Task<BatchOutcome> ApplyAsync(IReadOnlyList<MeterSample> samples, CancellationToken cancellationToken, TimeSpan? expectedInterval = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return BatchOutcome.Empty;
        }

        var now = clock.GetUtcNow();
        var directory = await meters.ByIdAsync(cancellationToken);
        var accepted = new List<(MeterSample Sample, MeterContext Meter)>(samples.Count);
        var rejected = new List<(MeterSample Sample, string Reason)>();
        foreach (var sample in samples)
        {
            if (sample.EnergyWh is null)
            {
                continue;
            }

            if (!directory.TryGetValue(sample.Meter, out var meter))
            {
                logger.LogWarning("Reading for unknown meter {Meter} dropped", sample.Meter);
                continue;
            }

            if (SampleValidator.Problem(sample, now) is { } problem)
            {
                rejected.Add((sample, problem));
                continue;
            }

            accepted.Add((sample, meter));
        }

        // In order per meter (sorted on plain keys: a comparison delegate over the tuples costs several times more).
        var keys = new (long Meter, long At)[accepted.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = (accepted[i].Sample.Meter.Value, accepted[i].Sample.At.UtcTicks);
        }

        var ordered = accepted.ToArray();
        Array.Sort(keys, ordered);

        // The same reading twice in one batch (a redelivery racing the original) counts once.
        accepted = new List<(MeterSample Sample, MeterContext Meter)>(ordered.Length);
        for (var i = 0; i < ordered.Length; i++)
        {
            if (i == 0 || keys[i] != keys[i - 1])
            {
                accepted.Add(ordered[i]);
            }
        }

        var inBatchDuplicates = ordered.Length - accepted.Count;
        var raters = new Dictionary<MeterId, TariffRater?>();
        foreach (var (_, meter) in accepted)
        {
            if (!raters.ContainsKey(meter.Id))
            {
                raters[meter.Id] = await tariffs.RaterForAsync(meter.Site, meter.Id, PayingAccount(meter), cancellationToken);
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var work = new Work(accepted, rejected, raters, now) { Duplicates = inBatchDuplicates, ExpectedInterval = expectedInterval ?? ExpectedReadingInterval };
                var outcome = await connections.WriteAsync((connection, transaction) => ApplyAsync(connection, transaction, work, cancellationToken), cancellationToken);
                foreach (var (meter, state) in work.NewStates)
                {
                    _states[meter] = state;
                }

                alarms.Publish(work.Alarms);
                return outcome;
            }
            catch (StaleStateException ex) when (attempt < MaxAttempts)
            {
                // Another node rated one of these meters meanwhile: forget what we knew and re-read it.
                foreach (var meter in ex.Meters)
                {
                    _states.TryRemove(meter, out _);
                }

                logger.LogInformation("Rating state of {Count} meter(s) changed elsewhere; retrying the batch", ex.Meters.Count);
            }
        }
    }

    /// <summary>
    /// Resolves a quarantined interval: with <paramref name="energyWh"/> (what an operator established
    /// the meter really used, e.g. old meter's last reading − last billed + new meter's reading) the
    /// interval is rated at the tariff in force then — split by hour and band, tiers continuing from the
    /// month's use before it — and accrued to the account that paid then; without, it is waived. The
    /// interval is marked resolved in the same transaction, once: resolving it again is refused.
    /// </summary>
    public async Task<(long EnergyWh, Money Amount)> ResolveQuarantineAsync(long quarantineId, long? energyWh, string resolution, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resolution);
        var (meterId, from, to, resolved) = await connections.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT meter_id, from_at, to_at, resolved_at FROM quarantined_intervals WHERE id = @id";
                command.AddParameter("@id", quarantineId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                return await reader.ReadAsync(cancellationToken)
                    ? (new MeterId(reader.GetInt64(0)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), !reader.IsDBNull(3))
                    : throw new KeyNotFoundException($"There is no quarantined interval {quarantineId}.");
            },
            cancellationToken);
        if (resolved)
        {
            throw new InvalidOperationException("This interval has already been resolved.");
        }

        var meter = await meters.FindAsync(meterId, cancellationToken) ?? throw new InvalidOperationException("The meter's profile is unknown, so it cannot be billed.");
        var buckets = new Dictionary<(long Meter, long Hour, int Band, long Account), (long Energy, long Pico, long Estimated)>();
        var pico = 0L;
        var account = PayingAccount(meter)?.Value ?? 0;
        if (energyWh is { } energy and > 0)
        {
            var rater = await tariffs.RaterForAsync(meter.Site, meter.Id, PayingAccount(meter), cancellationToken)
                ?? throw new InvalidOperationException("No tariff plan covers the meter: assign one first.");
            var monthToDate = await MonthToDateAsync(meter, from, cancellationToken);
            var interval = new MeterReadingRater(rater, new RatingPolicy(to - from), new CumulativeReading(from, 0), monthToDate);
            var buffer = new RatedSliceBuffer(64);
            var result = interval.Add(new CumulativeReading(to, energy), buffer);
            if (result.Outcome != RatingOutcome.Rated)
            {
                throw new InvalidOperationException($"The interval could not be rated: {result.Reason} {result.Detail}");
            }

            Span<HourSplitter.Part> parts = new HourSplitter.Part[48];
            var weights = new long[48];
            var shares = new long[48];
            foreach (var slice in buffer.SlicesOf(result))
            {
                var count = HourSplitter.Split(slice, parts, weights, shares);
                for (var i = 0; i < count; i++)
                {
                    var key = (meter.Id.Value, parts[i].HourStart.ToUnixTimeMilliseconds(), (int)slice.Band, account);
                    var amount = MoneyPrecision.ToPicoUnits(parts[i].Amount);
                    buckets.TryGetValue(key, out var sum);
                    buckets[key] = (sum.Energy + parts[i].EnergyWh, sum.Pico + amount, sum.Estimated + parts[i].EnergyWh);
                    pico += amount;
                }
            }
        }

        var at = clock.GetUtcNow();
        await connections.WriteAsync(
            async (connection, transaction) =>
            {
                await using (var mark = connection.CreateCommand())
                {
                    mark.Transaction = transaction;
                    mark.CommandText = "UPDATE quarantined_intervals SET resolved_at = @at, resolved_by = @by, resolution = @resolution WHERE id = @id AND resolved_at IS NULL";
                    mark.AddParameter("@at", at.ToUnixTimeMilliseconds());
                    mark.AddParameter("@by", actor);
                    mark.AddParameter("@resolution", resolution);
                    mark.AddParameter("@id", quarantineId);
                    if (await mark.ExecuteNonQueryAsync(cancellationToken) == 0)
                    {
                        throw new InvalidOperationException("This interval has already been resolved.");
                    }
                }

                await UpsertBucketsAsync(connection, transaction, buckets, cancellationToken);
                if (account != 0 && pico != 0)
                {
                    await balances.AccrueAsync(connection, transaction, [(account, pico)], cancellationToken);
                }

                return 0;
            },
            cancellationToken);
        return (energyWh ?? 0, MoneyPrecision.FromPicoUnits(pico));
    }

    /// <summary>The meter's billed energy in the local calendar month of <paramref name="at"/>, before it (where its tiers stand).</summary>
    private async Task<long> MonthToDateAsync(MeterContext meter, DateTimeOffset at, CancellationToken cancellationToken) =>
        await connections.ReadAsync(
            async connection =>
            {
                await using var zone = connection.CreateCommand();
                zone.CommandText = "SELECT time_zone FROM sites WHERE id = @site";
                zone.AddParameter("@site", meter.Site.Value);
                var local = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById((string)(await zone.ExecuteScalarAsync(cancellationToken))!));
                var monthStart = new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, local.Offset);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT COALESCE(SUM(energy_wh), 0) FROM usage_hourly WHERE meter_id = @meter AND hour_start >= @from AND hour_start < @to";
                command.AddParameter("@meter", meter.Id.Value);
                command.AddParameter("@from", monthStart.ToUnixTimeMilliseconds());
                command.AddParameter("@to", at.ToUnixTimeMilliseconds());
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            },
            cancellationToken);

    /// <summary>Forgets cached rating state (after a restore, a resolved quarantine, or in tests).</summary>
    public void Forget(MeterId meter) => _states.TryRemove(meter, out _);

    private static AccountId? PayingAccount(MeterContext meter) => meter.Purpose == MeterPurpose.Tenant ? meter.Account : null;

    private async Task<BatchOutcome> ApplyAsync(DbConnection connection, DbTransaction transaction, Work work, CancellationToken cancellationToken)
    {
        work.Reset();
        foreach (var (sample, reason) in work.Rejected)
        {
            await InsertRejectedAsync(connection, transaction, sample, reason, work.Now, cancellationToken);
            await RaiseAsync(connection, transaction, work, Domain.Safety.AlarmType.ImpossibleReading, sample.Meter, "Reading refused: " + reason, cancellationToken);
        }

        var inserted = await InsertReadingsAsync(connection, transaction, work.Accepted, cancellationToken);
        await LoadStatesAsync(connection, transaction, work, cancellationToken);

        var buffer = new RatedSliceBuffer(64);
        Span<HourSplitter.Part> parts = new HourSplitter.Part[48];
        var weights = new long[48];
        var shares = new long[48];
        var buckets = new Dictionary<(long Meter, long Hour, int Band, long Account), (long Energy, long Pico, long Estimated)>();
        var accruals = new Dictionary<long, long>();
        var quarantines = new List<(MeterContext Meter, CumulativeReading From, CumulativeReading To, RatingResult Result)>();
        var (rated, ignored, duplicates) = (0, 0, work.Duplicates);
        foreach (var (sample, meter) in work.Accepted)
        {
            if (!inserted.Contains((sample.Meter.Value, sample.At.ToUnixTimeMilliseconds())))
            {
                duplicates++;
                continue;
            }

            var reading = Scaled(sample, meter);
            var rater = work.Raters[meter.Id];
            if (rater is null)
            {
                // No plan covers this meter: the interval is not billed, and an operator must assign one.
                if (work.PositionOf(meter.Id).Last is { } previous && reading.At > previous.At)
                {
                    quarantines.Add((meter, previous, reading, new RatingResult(RatingOutcome.Quarantined, 0, 0, 0, false, QuarantineReason.NoTariffInForce, "no tariff plan is assigned to the meter or its account")));
                }

                work.Rebase(meter.Id, reading);
                continue;
            }

            var meterRater = work.RaterOf(meter, rater);
            var before = meterRater.LastRated;
            buffer.Clear();
            var result = meterRater.Add(reading, buffer);
            switch (result.Outcome)
            {
                case RatingOutcome.Rated:
                    rated += before is null ? 0 : 1;
                    var account = PayingAccount(meter)?.Value ?? 0;
                    foreach (var slice in buffer.SlicesOf(result))
                    {
                        var count = HourSplitter.Split(slice, parts, weights, shares);
                        for (var i = 0; i < count; i++)
                        {
                            var part = parts[i];
                            var pico = MoneyPrecision.ToPicoUnits(part.Amount);
                            ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(buckets, (meter.Id.Value, part.HourStart.ToUnixTimeMilliseconds(), (int)slice.Band, account), out _);
                            sum = (sum.Energy + part.EnergyWh, sum.Pico + pico, sum.Estimated + (slice.Estimated ? part.EnergyWh : 0));
                            if (account != 0)
                            {
                                CollectionsMarshal.GetValueRefOrAddDefault(accruals, account, out _) += pico;
                            }
                        }
                    }

                    break;
                case RatingOutcome.Quarantined:
                    quarantines.Add((meter, before!.Value, reading, result));
                    break;
                default:
                    ignored++;
                    break;
            }
        }

        // Each rated meter's new position, once per batch (where its rater stands after its last reading).
        work.AdvanceRated();

        await UpsertBucketsAsync(connection, transaction, buckets, cancellationToken);

        foreach (var (meter, from, to, result) in quarantines)
        {
            await InsertQuarantineAsync(connection, transaction, meter.Id, from, to, result, work.Now, cancellationToken);
            var type = result.Reason switch
            {
                QuarantineReason.RegisterWentBackwards => Domain.Safety.AlarmType.RegisterWentBackwards,
                QuarantineReason.NoTariffInForce => Domain.Safety.AlarmType.NoTariff,
                _ => Domain.Safety.AlarmType.ImplausibleConsumption,
            };
            await RaiseAsync(connection, transaction, work, type, meter.Id,
                $"Interval {from.At:u} – {to.At:u} of meter {meter.Serial} not billed: {result.Reason} ({from.TotalWh} → {to.TotalWh} Wh). {result.Detail}", cancellationToken);
        }

        await SaveStatesAsync(connection, transaction, work, cancellationToken);
        var events = accruals.Count == 0 ? [] : await balances.AccrueAsync(connection, transaction, [.. accruals.Select(a => (a.Key, a.Value))], cancellationToken);

        return new BatchOutcome(inserted.Count, duplicates, rated, ignored, quarantines.Count, work.Rejected.Count, events);
    }

    private async Task RaiseAsync(DbConnection connection, DbTransaction transaction, Work work, Domain.Safety.AlarmType type, MeterId meter, string detail, CancellationToken cancellationToken)
    {
        var signal = Domain.Safety.AlarmSignal.Raise(type, Domain.Safety.AlarmSource.Meter(meter), work.Now, detail);
        if (await alarms.ApplyAsync(connection, transaction, signal, cancellationToken) is { } change)
        {
            work.Alarms.Add(change);
        }
    }

    private static RatingPolicy ExpectedPolicy(MeterContext meter, TimeSpan expected) =>
        new(expected, maxPowerKw: meter.PowerLimitKw is { } limit ? Math.Max(limit * 3, 1m) : null);

    private static CumulativeReading Scaled(MeterSample sample, MeterContext meter)
    {
        var total = meter.Scale(sample.EnergyWh!.Value);
        if (!meter.UsesBandRegisters || sample.BandsWh is not { } bands)
        {
            return new CumulativeReading(sample.At, total);
        }

        // When the meter's own band registers are trusted they also define the total, so the two always agree.
        var scaled = new BandEnergyWh(meter.Scale(bands.Sharp), meter.Scale(bands.Peak), meter.Scale(bands.Flat), meter.Scale(bands.Valley));
        return new CumulativeReading(sample.At, scaled.Total, scaled);
    }

    private static async Task<HashSet<(long Meter, long At)>> InsertReadingsAsync(
        DbConnection connection, DbTransaction transaction, List<(MeterSample Sample, MeterContext Meter)> accepted, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<(long, long)>(accepted.Count);
        if (MultiRow.ChunkFor(connection, InsertChunk) == 1)
        {
            // SQLite: one prepared single-row statement; "1 row affected" says it was new (cheaper than RETURNING).
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO readings ({string.Join(", ", ReadingColumns)}) VALUES {MultiRow.Values(1, ReadingColumns.Length)} ON CONFLICT (meter_id, at) DO NOTHING";
            var parameters = MultiRow.Parameters(command, 1, ReadingColumns.Length);
            foreach (var (sample, _) in accepted)
            {
                Bind(parameters, sample);
                if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    inserted.Add((sample.Meter.Value, sample.At.ToUnixTimeMilliseconds()));
                }
            }

            return inserted;
        }

        await MultiRow.RunAsync(
            connection, transaction, accepted, InsertChunk, ReadingColumns.Length,
            rows => $"INSERT INTO readings ({string.Join(", ", ReadingColumns)}) VALUES {MultiRow.Values(rows, ReadingColumns.Length)} ON CONFLICT (meter_id, at) DO NOTHING RETURNING meter_id, at",
            (p, item) => Bind(p, item.Sample),
            async reader =>
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    inserted.Add((reader.GetInt64(0), reader.GetInt64(1)));
                }
            },
            cancellationToken);
        return inserted;
    }

    private static void Bind(Span<DbParameter> p, MeterSample s)
    {
        var live = s.Live;
        p[0].Value = s.Meter.Value;
        p[1].Value = s.At.ToUnixTimeMilliseconds();
        p[2].Value = s.EnergyWh!.Value;
        p[3].Value = (object?)s.BandsWh?.Sharp ?? DBNull.Value;
        p[4].Value = (object?)s.BandsWh?.Peak ?? DBNull.Value;
        p[5].Value = (object?)s.BandsWh?.Flat ?? DBNull.Value;
        p[6].Value = (object?)s.BandsWh?.Valley ?? DBNull.Value;
        p[7].Value = (object?)live.VoltageA ?? DBNull.Value;
        p[8].Value = (object?)live.VoltageB ?? DBNull.Value;
        p[9].Value = (object?)live.VoltageC ?? DBNull.Value;
        p[10].Value = (object?)live.CurrentA ?? DBNull.Value;
        p[11].Value = (object?)live.CurrentB ?? DBNull.Value;
        p[12].Value = (object?)live.CurrentC ?? DBNull.Value;
        p[13].Value = (object?)live.PowerKw ?? DBNull.Value;
        p[14].Value = (object?)live.PowerFactor ?? DBNull.Value;
        p[15].Value = (object?)live.FrequencyHz ?? DBNull.Value;
        p[16].Value = (int)s.Relay;
        p[17].Value = unchecked((int)s.AlarmFlags);
        p[18].Value = (int)s.Source;
    }

    private async Task LoadStatesAsync(DbConnection connection, DbTransaction transaction, Work work, CancellationToken cancellationToken)
    {
        var missing = work.Accepted.Select(a => a.Meter.Id).Distinct().Where(id => !_states.ContainsKey(id)).ToList();
        var sqlite = MultiRow.ChunkFor(connection, 64) == 1;
        foreach (var chunk in missing.Chunk(sqlite ? 10_000 : 500))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            string list;
            if (sqlite)
            {
                // SQLite binds parameters by name in time quadratic in their number: the ids travel as one JSON array.
                command.AddParameter("@ids", "[" + string.Join(",", chunk.Select(m => m.Value.ToString(CultureInfo.InvariantCulture))) + "]");
                list = "SELECT value FROM json_each(@ids)";
            }
            else
            {
                var names = new List<string>(chunk.Length);
                for (var i = 0; i < chunk.Length; i++)
                {
                    names.Add(command.AddParameter(string.Create(CultureInfo.InvariantCulture, $"@m{i}"), chunk[i].Value).ParameterName);
                }

                list = string.Join(", ", names);
            }

            command.CommandText = $"""
                SELECT meter_id, last_at, last_scaled_wh, last_sharp_wh, last_peak_wh, last_flat_wh, last_valley_wh, month_to_date_wh, version
                FROM meter_rating_states WHERE meter_id IN ({list})
                """;
            var found = new HashSet<long>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var meter = new MeterId(reader.GetInt64(0));
                    found.Add(meter.Value);
                    CumulativeReading? last = null;
                    if (!reader.IsDBNull(1))
                    {
                        BandEnergyWh? bands = reader.IsDBNull(3) ? null : new BandEnergyWh(reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6));
                        last = new CumulativeReading(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetInt64(2), bands);
                    }

                    work.Loaded[meter] = new Position(last, reader.GetInt64(7), reader.GetInt64(8), Exists: true);
                }
            }

            foreach (var id in chunk.Where(c => !found.Contains(c.Value)))
            {
                work.Loaded[id] = new Position(null, 0, 0, Exists: false);
            }
        }

        foreach (var id in work.Accepted.Select(a => a.Meter.Id).Distinct())
        {
            if (!work.Loaded.ContainsKey(id) && _states.TryGetValue(id, out var cached))
            {
                work.Loaded[id] = cached;
            }
        }
    }

    /// <summary>
    /// Writes every changed rating state in one statement per chunk. A state is written only if its
    /// row still has the version this batch read (or does not exist yet); any other outcome means
    /// another node rated the meter meanwhile, and the whole batch is retried.
    /// </summary>
    private static async Task SaveStatesAsync(DbConnection connection, DbTransaction transaction, Work work, CancellationToken cancellationToken)
    {
        var written = new HashSet<long>();
        var states = work.NewStates.ToList();
        if (MultiRow.ChunkFor(connection, 64) == 1)
        {
            // SQLite: one prepared single-row upsert; "1 row changed" says it was written (a result set per row costs
            // several times the statement itself).
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                INSERT INTO meter_rating_states (meter_id, last_at, last_scaled_wh, last_sharp_wh, last_peak_wh, last_flat_wh, last_valley_wh, month_to_date_wh, version)
                VALUES {MultiRow.Values(1, 9)}
                ON CONFLICT (meter_id) DO UPDATE SET
                    last_at = excluded.last_at, last_scaled_wh = excluded.last_scaled_wh, last_sharp_wh = excluded.last_sharp_wh,
                    last_peak_wh = excluded.last_peak_wh, last_flat_wh = excluded.last_flat_wh, last_valley_wh = excluded.last_valley_wh,
                    month_to_date_wh = excluded.month_to_date_wh, version = excluded.version
                WHERE meter_rating_states.version = excluded.version - 1
                """;
            var parameters = MultiRow.Parameters(command, 1, 9);
            foreach (var state in states)
            {
                BindState(parameters, state);
                if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    written.Add(state.Key.Value);
                }
            }
        }
        else
        {
            await MultiRow.RunAsync(
                connection, transaction, states, 64, 9,
                rows => $"""
                    INSERT INTO meter_rating_states (meter_id, last_at, last_scaled_wh, last_sharp_wh, last_peak_wh, last_flat_wh, last_valley_wh, month_to_date_wh, version)
                    SELECT column1, column2, column3, column4, column5, column6, column7, column8, column9 FROM (VALUES {MultiRow.Values(rows, 9)}) AS v
                    WHERE true
                    ON CONFLICT (meter_id) DO UPDATE SET
                        last_at = excluded.last_at, last_scaled_wh = excluded.last_scaled_wh, last_sharp_wh = excluded.last_sharp_wh,
                        last_peak_wh = excluded.last_peak_wh, last_flat_wh = excluded.last_flat_wh, last_valley_wh = excluded.last_valley_wh,
                        month_to_date_wh = excluded.month_to_date_wh, version = excluded.version
                    WHERE meter_rating_states.version = excluded.version - 1
                    RETURNING meter_id
                    """,
                (p, entry) => BindState(p, entry),
                async reader =>
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        written.Add(reader.GetInt64(0));
                    }
                },
                cancellationToken,
                [.. Enumerable.Repeat(System.Data.DbType.Int64, 9)]);
        }

        var stale = states.Select(s => s.Key).Where(m => !written.Contains(m.Value)).ToList();
        if (stale.Count > 0)
        {
            throw new StaleStateException(stale);
        }
    }

    private static void BindState(Span<DbParameter> p, KeyValuePair<MeterId, Position> entry)
    {
        var (meter, state) = entry;
        var last = state.Last!.Value;
        p[0].Value = meter.Value;
        p[1].Value = last.At.ToUnixTimeMilliseconds();
        p[2].Value = last.TotalWh;
        p[3].Value = (object?)last.BandsWh?.Sharp ?? DBNull.Value;
        p[4].Value = (object?)last.BandsWh?.Peak ?? DBNull.Value;
        p[5].Value = (object?)last.BandsWh?.Flat ?? DBNull.Value;
        p[6].Value = (object?)last.BandsWh?.Valley ?? DBNull.Value;
        p[7].Value = state.MonthToDateWh;
        p[8].Value = state.Version;
    }

    private static async Task UpsertBucketsAsync(
        DbConnection connection, DbTransaction transaction, Dictionary<(long Meter, long Hour, int Band, long Account), (long Energy, long Pico, long Estimated)> buckets, CancellationToken cancellationToken) =>
        await MultiRow.RunAsync(
            connection, transaction, [.. buckets], 64, 7,
            rows => $"""
                INSERT INTO usage_hourly (meter_id, hour_start, band, account_key, energy_wh, amount_pico, estimated_wh, posted_pico, parts)
                {(MultiRow.ChunkFor(connection, 64) == 1
                    ? $"VALUES {MultiRow.Values(1, 7)[..^1]}, 0, 0)"
                    : $"SELECT column1, column2, column3, column4, column5, column6, column7, 0, 0 FROM (VALUES {MultiRow.Values(rows, 7)}) AS v WHERE true")}
                ON CONFLICT (meter_id, hour_start, band, account_key) DO UPDATE SET
                    energy_wh = usage_hourly.energy_wh + excluded.energy_wh,
                    amount_pico = usage_hourly.amount_pico + excluded.amount_pico,
                    estimated_wh = usage_hourly.estimated_wh + excluded.estimated_wh
                """,
            (p, bucket) =>
            {
                p[0].Value = bucket.Key.Meter;
                p[1].Value = bucket.Key.Hour;
                p[2].Value = bucket.Key.Band;
                p[3].Value = bucket.Key.Account;
                p[4].Value = bucket.Value.Energy;
                p[5].Value = bucket.Value.Pico;
                p[6].Value = bucket.Value.Estimated;
            },
            null,
            cancellationToken);

    private static async Task InsertQuarantineAsync(
        DbConnection connection, DbTransaction transaction, MeterId meter, CumulativeReading from, CumulativeReading to, RatingResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO quarantined_intervals (meter_id, from_at, to_at, from_scaled_wh, to_scaled_wh, reason, detail, raised_at)
            VALUES (@m, @from, @to, @fromWh, @toWh, @reason, @detail, @now)
            """;
        command.AddParameter("@m", meter.Value);
        command.AddParameter("@from", from.At.ToUnixTimeMilliseconds());
        command.AddParameter("@to", to.At.ToUnixTimeMilliseconds());
        command.AddParameter("@fromWh", from.TotalWh);
        command.AddParameter("@toWh", to.TotalWh);
        command.AddParameter("@reason", (int)result.Reason);
        command.AddParameter("@detail", result.Detail is { Length: > 500 } d ? d[..500] : result.Detail);
        command.AddParameter("@now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task InsertRejectedAsync(DbConnection connection, DbTransaction transaction, MeterSample sample, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO rejected_readings (meter_id, at, reason, \"values\", received_at) VALUES (@m, @at, @reason, @values, @now)";
        command.AddParameter("@m", sample.Meter.Value);
        command.AddParameter("@at", sample.At.ToUnixTimeMilliseconds());
        command.AddParameter("@reason", reason.Length > 300 ? reason[..300] : reason);
        var values = JsonSerializer.Serialize(new { sample.EnergyWh, sample.BandsWh, sample.Live, sample.Relay, sample.AlarmFlags }, RejectedJson);
        command.AddParameter("@values", values.Length > 2000 ? values[..2000] : values);
        command.AddParameter("@now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A meter's rating position, as last committed: the last rated reading, month-to-date, and the row version.</summary>
    private sealed record Position(CumulativeReading? Last, long MonthToDateWh, long Version, bool Exists);

    /// <summary>Working state of one attempt: positions as loaded, the meters' raters, and the positions to commit.</summary>
    private sealed class Work(
        List<(MeterSample Sample, MeterContext Meter)> accepted,
        List<(MeterSample Sample, string Reason)> rejected,
        Dictionary<MeterId, TariffRater?> raters,
        DateTimeOffset now)
    {
        private readonly Dictionary<MeterId, MeterReadingRater> _meterRaters = [];

        public List<(MeterSample Sample, MeterContext Meter)> Accepted { get; } = accepted;

        public List<(MeterSample Sample, string Reason)> Rejected { get; } = rejected;

        public Dictionary<MeterId, TariffRater?> Raters { get; } = raters;

        public DateTimeOffset Now { get; } = now;

        public int Duplicates { get; init; }

        public TimeSpan ExpectedInterval { get; init; }

        public Dictionary<MeterId, Position> Loaded { get; } = [];

        public Dictionary<MeterId, Position> NewStates { get; } = [];

        public List<Alarms.AlarmService.AlarmChange> Alarms { get; } = [];

        public void Reset()
        {
            Loaded.Clear();
            NewStates.Clear();
            Alarms.Clear();
            _meterRaters.Clear();
        }

        public Position PositionOf(MeterId meter) => NewStates.TryGetValue(meter, out var next) ? next : Loaded[meter];

        /// <summary>The meter's domain rater for this batch, continuing from its committed position.</summary>
        public MeterReadingRater RaterOf(MeterContext meter, TariffRater tariff)
        {
            if (!_meterRaters.TryGetValue(meter.Id, out var rater))
            {
                var position = PositionOf(meter.Id);
                rater = new MeterReadingRater(tariff, ExpectedPolicy(meter, ExpectedInterval), position.Last, position.MonthToDateWh);
                _meterRaters[meter.Id] = rater;
            }

            return rater;
        }

        /// <summary>Advances every meter rated in this batch to where its rater stands.</summary>
        public void AdvanceRated()
        {
            foreach (var (meter, rater) in _meterRaters)
            {
                Advance(meter, rater.LastRated, rater.MonthToDateWh);
            }
        }

        public void Advance(MeterId meter, CumulativeReading? last, long monthToDateWh)
        {
            var loaded = Loaded[meter];
            NewStates[meter] = new Position(last, monthToDateWh, loaded.Exists ? loaded.Version + 1 : 1, Exists: true);
        }

        /// <summary>A meter without a plan: its reading becomes the baseline, unrated (the interval was quarantined).</summary>
        public void Rebase(MeterId meter, CumulativeReading reading)
        {
            _meterRaters.Remove(meter);
            var position = PositionOf(meter);
            if (position.Last is not { } last || reading.At > last.At)
            {
                Advance(meter, reading, 0);
            }
        }
    }

    private sealed class StaleStateException(IReadOnlyList<MeterId> meters) : Exception("The rating state of some meters changed in another transaction.")
    {
        public IReadOnlyList<MeterId> Meters { get; } = meters;
    }
}
