using System.Data.Common;
using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tariffs;

namespace Kilowallet.Server.Metering.Billing;

/// <summary>
/// Turns accrued charges into ledger entries: every minute, each hourly usage bucket whose hour has
/// closed for its meter (the meter's last rated reading is past the hour) is posted as one charge
/// per meter, band and hour, in whole fen with the sub-fen remainder carried per account. The
/// available balance does not move (posted + unposted is unchanged); the ledger stays compact.
/// Once a day it also posts each account's fixed charges for the day that ended.
/// </summary>
public sealed class ChargePoster(
    StorageConnections connections,
    LedgerWriter ledger,
    BalanceService balances,
    TariffCatalog tariffs,
    TimeProvider clock,
    ILogger<ChargePoster> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _passes = new(1, 1);

    private static readonly LedgerAccountKey[] RevenueAccounts =
        [.. Enum.GetValues<RevenueBand>().Select(LedgerAccountKey.Revenue), LedgerAccountKey.FixedFeeRevenue];

    /// <summary>
    /// Posts due buckets (all unposted ones of <paramref name="only"/> when given, e.g. before the
    /// account closes) and returns how many charge entries were written.
    /// </summary>
    public async Task<int> PostChargesAsync(CancellationToken cancellationToken, AccountId? only = null)
    {
        // One pass at a time in this process; another node racing for the same buckets is detected per account and skipped.
        await _passes.WaitAsync(cancellationToken);
        try
        {
            var due = await DueAsync(only, cancellationToken);
            var accounts = due.GroupBy(d => d.Account).Select(g => (Account: new AccountId(g.Key), Buckets: g.ToList())).ToList();
            if (accounts.Count == 0)
            {
                return 0;
            }

            // The ledger accounts every posting of this pass names, created (when missing) in one transaction before any posting.
            await ledger.EnsureAccountsAsync(connections, [.. accounts.Select(a => LedgerAccountKey.Wallet(a.Account)), .. RevenueAccounts], cancellationToken);
            var entries = 0;
            foreach (var group in Groups(accounts))
            {
                try
                {
                    // Many accounts per transaction: one commit (one fsync on SQLite) instead of one per account.
                    entries += await connections.WriteAsync(
                        async (connection, transaction) =>
                        {
                            var written = 0;
                            foreach (var (account, buckets) in group)
                            {
                                written += await PostAccountAsync(connection, transaction, account, buckets, cancellationToken);
                            }

                            return written;
                        },
                        cancellationToken);
                }
                catch (BucketPostedElsewhereException)
                {
                    // Another node posted some of these buckets meanwhile (all of this group was rolled back): post the
                    // group again account by account, so only the accounts that raced are skipped.
                    foreach (var (account, buckets) in group)
                    {
                        try
                        {
                            entries += await connections.WriteAsync((connection, transaction) => PostAccountAsync(connection, transaction, account, buckets, cancellationToken), cancellationToken);
                        }
                        catch (BucketPostedElsewhereException ex)
                        {
                            logger.LogDebug("{Message} Skipped; the next pass sees the new state.", ex.Message);
                        }
                    }
                }
            }

            return entries;
        }
        finally
        {
            _passes.Release();
        }
    }

    public override void Dispose()
    {
        _passes.Dispose();
        base.Dispose();
    }

    /// <summary>How many past local days each site's fixed charges are checked for when its day turns.</summary>
    public const int FixedChargeCatchUpDays = 7;

    /// <summary>Posts the fixed charges of every open account (of one site) with a plan for <paramref name="localDate"/> (idempotent per account, day and charge).</summary>
    public async Task<int> PostFixedChargesAsync(DateOnly localDate, CancellationToken cancellationToken, SiteId? site = null)
    {
        var accounts = new List<(long Id, DateTimeOffset OpenedAt, string TimeZone)>();
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT a.id, a.opened_at, s.time_zone FROM accounts a JOIN sites s ON s.id = a.site_id WHERE a.status = 0" + (site is null ? string.Empty : " AND a.site_id = @site");
            if (site is { } only)
            {
                command.AddParameter("@site", only.Value);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                accounts.Add((reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2)));
            }
        }

        var posted = 0;
        foreach (var (id, openedAt, timeZone) in accounts)
        {
            // No fixed charge for a day before the account was opened (in the site's calendar).
            if (DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(openedAt, TimeZoneInfo.FindSystemTimeZoneById(timeZone)).DateTime) > localDate)
            {
                continue;
            }

            var account = new AccountId(id);
            if (await tariffs.AccountTimelineAsync(account, cancellationToken) is not { } timeline)
            {
                continue;
            }

            var charges = FixedCharges.ForDay(timeline, localDate);
            if (charges.Count == 0)
            {
                continue;
            }

            await ledger.EnsureAccountsAsync(connections, [LedgerAccountKey.Wallet(account), LedgerAccountKey.FixedFeeRevenue], cancellationToken);
            posted += await connections.WriteAsync(
                async (connection, transaction) =>
                {
                    var count = 0;
                    foreach (var charge in charges.Where(c => c.Amount > Money.Zero))
                    {
                        var key = IdempotencyKey.ForSystem(string.Create(CultureInfo.InvariantCulture, $"fixed:a{id}:{localDate:yyyy-MM-dd}:{charge.Name}"));
                        var entry = await ledger.PostAsync(connection, transaction, Posting.FixedFee(account, charge.Amount, key, charge.Name), new EntryDetails { Account = account }, cancellationToken);
                        count += entry.Created ? 1 : 0;
                    }

                    if (count > 0)
                    {
                        await balances.ObserveAsync(connection, transaction, account, "fixed-fee", cancellationToken);
                    }

                    return count;
                },
                cancellationToken);
        }

        return posted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Interval, clock);
            var lastFixedDay = new Dictionary<long, DateOnly>();
            do
            {
                try
                {
                    var entries = await PostChargesAsync(stoppingToken);
                    if (entries > 0)
                    {
                        logger.LogDebug("Posted {Entries} charge entries", entries);
                    }

                    await PostDueFixedChargesAsync(lastFixedDay, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Posting charges failed; the next pass retries (nothing is lost: accruals stay until posted)");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>
    /// When a site's local day has turned, posts the fixed charges of its last days (a week back, so a
    /// server that was down misses none; each day's charge is idempotent).
    /// </summary>
    private async Task PostDueFixedChargesAsync(Dictionary<long, DateOnly> lastFixedDay, CancellationToken cancellationToken)
    {
        var sites = new List<(long Id, string TimeZone)>();
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, time_zone FROM sites";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                sites.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        foreach (var (id, timeZone) in sites)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(timeZone)).DateTime);
            if (lastFixedDay.TryGetValue(id, out var done) && done == today)
            {
                continue;
            }

            for (var day = today.AddDays(-FixedChargeCatchUpDays); day < today; day = day.AddDays(1))
            {
                await PostFixedChargesAsync(day, cancellationToken, new SiteId(id));
            }

            lastFixedDay[id] = today;
        }
    }

    /// <summary>Buckets posted in one transaction at most (a longer transaction would hold back top-ups on SQLite).</summary>
    private const int BucketsPerTransaction = 2_000;

    /// <summary>Whole accounts, in order, into groups of about <see cref="BucketsPerTransaction"/> buckets.</summary>
    private static IEnumerable<List<(AccountId Account, List<Due> Buckets)>> Groups(List<(AccountId Account, List<Due> Buckets)> accounts)
    {
        var group = new List<(AccountId, List<Due>)>();
        var size = 0;
        foreach (var account in accounts)
        {
            if (group.Count > 0 && size + account.Buckets.Count > BucketsPerTransaction)
            {
                yield return group;
                group = [];
                size = 0;
            }

            group.Add(account);
            size += account.Buckets.Count;
        }

        if (group.Count > 0)
        {
            yield return group;
        }
    }

    private sealed class BucketPostedElsewhereException(string message) : Exception(message);

    private sealed record Due(long Account, long Meter, long HourStart, int Band, long DeltaPico, int Parts);

    private async Task<List<Due>> DueAsync(AccountId? only, CancellationToken cancellationToken)
    {
        var due = new List<Due>();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = only is null
            ? """
              SELECT u.account_key, u.meter_id, u.hour_start, u.band, u.amount_pico - u.posted_pico, u.parts
              FROM usage_hourly u JOIN meter_rating_states s ON s.meter_id = u.meter_id
              WHERE u.account_key <> 0 AND u.amount_pico > u.posted_pico AND u.hour_start + 3600000 <= s.last_at
              ORDER BY u.account_key, u.hour_start
              LIMIT 20000
              """
            : """
              SELECT u.account_key, u.meter_id, u.hour_start, u.band, u.amount_pico - u.posted_pico, u.parts
              FROM usage_hourly u
              WHERE u.account_key = @account AND u.amount_pico > u.posted_pico
              ORDER BY u.hour_start
              """;
        if (only is { } account)
        {
            command.AddParameter("@account", account.Value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new Due(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4), reader.GetInt32(5)));
        }

        return due;
    }

    private async Task<int> PostAccountAsync(DbConnection connection, DbTransaction transaction, AccountId account, List<Due> buckets, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT carry_pico FROM accounts WHERE id = @id";
        read.AddParameter("@id", account.Value);
        var carried = MoneyPrecision.FromPicoUnits(Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture));
        var accruals = buckets.ConvertAll(b => new AccruedCharge(
            new MeterId(b.Meter), (RevenueBand)b.Band, DateTimeOffset.FromUnixTimeMilliseconds(b.HourStart), MoneyPrecision.FromPicoUnits(b.DeltaPico), b.Parts));
        var batch = ChargePosting.Post(account, accruals, carried);
        var written = 0;
        foreach (var posting in batch.Postings)
        {
            var bucket = accruals.First(a => IdempotencyKey.ForCharge(a.Meter, a.Band, a.HourStart, a.Part) == posting.Key);
            var entry = await ledger.PostAsync(
                connection, transaction, posting,
                new EntryDetails { Account = account, Meter = bucket.Meter, Band = bucket.Band, HourStart = bucket.HourStart },
                cancellationToken);
            written += entry.Created ? 1 : 0;
        }

        await using var mark = connection.CreateCommand();
        mark.Transaction = transaction;
        mark.CommandText = """
            UPDATE usage_hourly SET posted_pico = posted_pico + @delta, parts = parts + 1
            WHERE meter_id = @m AND hour_start = @h AND band = @b AND account_key = @a AND parts = @parts
            """;
        var delta = mark.AddParameter("@delta", 0L);
        var m = mark.AddParameter("@m", 0L);
        var h = mark.AddParameter("@h", 0L);
        var b = mark.AddParameter("@b", 0);
        mark.AddParameter("@a", account.Value);
        var parts = mark.AddParameter("@parts", 0);
        foreach (var bucket in buckets)
        {
            (delta.Value, m.Value, h.Value, b.Value, parts.Value) = (bucket.DeltaPico, bucket.Meter, bucket.HourStart, bucket.Band, bucket.Parts);
            if (await mark.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                // Another poster got there first: roll back this account's postings and let the next pass look again.
                throw new BucketPostedElsewhereException($"Usage bucket of meter {bucket.Meter} at {bucket.HourStart} was posted concurrently.");
            }
        }

        await using var settle = connection.CreateCommand();
        settle.Transaction = transaction;
        settle.CommandText = "UPDATE accounts SET accrued_pico = accrued_pico - @posted, carry_pico = @carry WHERE id = @id";
        settle.AddParameter("@posted", buckets.Sum(x => x.DeltaPico));
        settle.AddParameter("@carry", MoneyPrecision.ToPicoUnits(batch.Carry));
        settle.AddParameter("@id", account.Value);
        await settle.ExecuteNonQueryAsync(cancellationToken);
        return written;
    }
}
