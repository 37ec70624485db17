using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Notifications;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Storage;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// The daily "about N days of credit left" message. The cost of the last seven days per account is
/// the sum of its charge and fixed-fee ledger entries in that window (the ledger is the record of
/// what was billed); the domain's <see cref="ExhaustionForecast"/> turns it and the available
/// balance into days. Runs every Notifications:ForecastCheckMinutes; after each site's
/// Notifications:ForecastLocalTime it enqueues the forecast, keyed by account and local date, so an
/// account hears it at most once a day however often the job runs and on however many nodes.
/// </summary>
public sealed class ExhaustionForecastJob(
    StorageConnections connections,
    NotificationOutbox outbox,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<ExhaustionForecastJob> logger) : BackgroundService
{
    /// <summary>Checks every open account with charges in the last seven days; returns how many messages were enqueued.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var sendAfter = TimeOnly.ParseExact(settings.ForecastLocalTime, "HH:mm", CultureInfo.InvariantCulture);
        var candidates = new List<Candidate>();
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT a.id, a.trip_level_minor, a.accrued_pico, a.carry_pico, COALESCE(l.balance_minor, 0), s.time_zone, c.cost
                FROM accounts a
                JOIN sites s ON s.id = a.site_id
                LEFT JOIN ledger_accounts l ON l.account_id = a.id
                JOIN (SELECT account_id, -SUM(wallet_amount_minor) AS cost FROM ledger_entries
                      WHERE kind IN (@charge, @fee) AND account_id IS NOT NULL AND at >= @from AND at < @to
                      GROUP BY account_id) c ON c.account_id = a.id
                WHERE a.status = @open
                ORDER BY a.id
                """;
            command.AddParameter("@charge", (int)PostingKind.Charge);
            command.AddParameter("@fee", (int)PostingKind.FixedFee);
            command.AddParameter("@from", (now - TimeSpan.FromDays(ExhaustionForecast.HistoryDays)).ToUnixTimeMilliseconds());
            command.AddParameter("@to", now.ToUnixTimeMilliseconds());
            command.AddParameter("@open", (int)AccountStatus.Open);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var balance = new AccountBalance(Money.FromMinorUnits(reader.GetInt64(4)), MoneyPrecision.FromPicoUnits(reader.GetInt64(2) + reader.GetInt64(3)));
                candidates.Add(new Candidate(
                    new AccountId(reader.GetInt64(0)),
                    Money.FromMinorUnits(reader.GetInt64(1)),
                    Money.FromMinorUnits(balance.AvailableMinor),
                    reader.GetString(5),
                    Money.FromMinorUnits(Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture))));
            }
        }

        var enqueued = 0;
        foreach (var candidate in candidates)
        {
            var local = TimeZoneInfo.ConvertTime(now, NotificationOutbox.ZoneOf(candidate.TimeZone));
            if (TimeOnly.FromDateTime(local.DateTime) < sendAfter)
            {
                continue;
            }

            var days = ExhaustionForecast.DaysLeft(candidate.Available, candidate.TripLevel, candidate.CostOfLastSevenDays);
            if (!ExhaustionForecast.ShouldWarn(days, settings.ForecastWarnDays))
            {
                continue;
            }

            var request = NotificationRequest.Forecast(candidate.Account, DateOnly.FromDateTime(local.DateTime), days!.Value, candidate.Available, now);
            enqueued += await connections.WriteAsync((connection, transaction) => outbox.EnqueueAsync(connection, transaction, request, cancellationToken), cancellationToken);
        }

        return enqueued;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkersEnabled)
        {
            return;
        }

        var interval = TimeSpan.FromMinutes(options.Value.ForecastCheckMinutes);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "The credit forecast failed; retrying in {Interval}", interval);
            }

            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private sealed record Candidate(AccountId Account, Money TripLevel, Money Available, string TimeZone, Money CostOfLastSevenDays);
}
