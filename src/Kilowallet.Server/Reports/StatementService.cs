using System.Data.Common;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Storage;

namespace Kilowallet.Server.Reports;

/// <summary>
/// Builds monthly statements, for one account or every account of a site at once, with set-based
/// queries: the wallets' movements since the month began (closing = today's balance − later
/// movements; opening = closing − the month's), the month's postings other than charges, usage per
/// account, local day and band, and the public-area apportionment of the month.
/// </summary>
public sealed class StatementService(StorageConnections connections)
{
    public async Task<IReadOnlyList<Statement>> BuildAsync(SiteFacts site, int year, int month, AccountId? only, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        var period = ReportPeriod.Month(year, month);
        var (start, end) = period.Instants(site.Zone);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var balances = await BalancesAsync(connection, site, only, cancellationToken);
        var movements = await MovementsAsync(connection, site, only, start, end, cancellationToken);
        var lines = await LinesAsync(connection, site, only, start, end, cancellationToken);
        var usage = await UsageReader.ReadAsync(connection, new UsageQuery(site.Id, start, end, site.Zone)
        {
            Key = UsageKey.Account, Bucketing = UsageBucketing.LocalDay, Purposes = [MeterPurpose.Tenant], Account = only,
        }, cancellationToken);
        var shares = await PublicAreaShares.ComputeAsync(connection, site, period, Reports.ApportionmentBasis.FloorArea, cancellationToken);
        var usageByAccount = usage.ToLookup(r => r.Key);
        var movementsByAccount = movements.ToLookup(m => m.Account);
        var linesByAccount = lines.ToLookup(l => l.Account);
        var meters = site.Meters.Values.Where(m => m.AccountId is not null).ToLookup(m => m.AccountId!.Value);
        var statements = new List<Statement>();
        foreach (var account in site.Accounts.Values.Where(a => only is null || a.Id == only.Value.Value).OrderBy(a => a.Number, StringComparer.Ordinal))
        {
            var moved = movementsByAccount[account.Id].ToList();
            var closing = balances.GetValueOrDefault(account.Id) - moved.Where(m => m.After).Sum(m => m.AmountMinor);
            var inMonth = moved.Where(m => !m.After).GroupBy(m => m.Kind).Select(g => new Statement.Movement(g.Key, g.Sum(m => m.Count), g.Sum(m => m.AmountMinor))).OrderBy(m => m.Kind).ToList();
            var rows = usageByAccount[account.Id].ToList();
            var daily = new List<(DateOnly, long[])>();
            for (var day = period.From; day < period.Until; day = day.AddDays(1))
            {
                var wh = new long[4];
                daily.Add((day, wh));
            }

            foreach (var row in rows)
            {
                var index = row.Day.DayNumber - period.From.DayNumber;
                if (index >= 0 && index < daily.Count)
                {
                    daily[index].Item2[(int)row.Band!.Value] += row.EnergyWh;
                }
            }

            statements.Add(new Statement
            {
                Account = account,
                SiteName = site.Name,
                Currency = site.Currency,
                Zone = site.Zone,
                Period = period,
                ClosingMinor = closing,
                OpeningMinor = closing - inMonth.Sum(m => m.AmountMinor),
                Movements = inMonth,
                Lines = [.. linesByAccount[account.Id].Select(l => l.Line)],
                Bands = [.. Enum.GetValues<TariffBand>().Select(b => (b, rows.Where(r => r.Band == b).Sum(r => r.EnergyWh), rows.Where(r => r.Band == b).Sum(r => r.Amount.Amount)))],
                Daily = daily,
                Meters = [.. meters[account.Id].OrderBy(m => m.Serial, StringComparer.Ordinal).Select(m => site.ShopOf(m.Id) is { } shop ? $"{m.Serial} · {shop.Unit} {shop.Name}" : m.Serial)],
                PublicShares = shares,
            });
        }

        return statements;
    }

    private static async Task<Dictionary<long, long>> BalancesAsync(DbConnection connection, SiteFacts site, AccountId? only, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT la.account_id, la.balance_minor FROM ledger_accounts la JOIN accounts a ON a.id = la.account_id WHERE a.site_id = @site" + (only is null ? string.Empty : " AND a.id = @account");
        command.AddParameter("@site", site.Id.Value);
        if (only is { } account)
        {
            command.AddParameter("@account", account.Value);
        }

        var balances = new Dictionary<long, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            balances[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        return balances;
    }

    private static async Task<List<(long Account, PostingKind Kind, bool After, int Count, long AmountMinor)>> MovementsAsync(
        DbConnection connection, SiteFacts site, AccountId? only, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT la.account_id, e.kind, CASE WHEN e.at >= @end THEN 1 ELSE 0 END AS after_end, COUNT(*), SUM(l.amount_minor)
            FROM ledger_entries e
            JOIN ledger_lines l ON l.entry_id = e.id
            JOIN ledger_accounts la ON la.id = l.ledger_account_id
            JOIN accounts a ON a.id = la.account_id
            WHERE e.at >= @start AND a.site_id = @site{(only is null ? string.Empty : " AND a.id = @account")}
            GROUP BY la.account_id, e.kind, CASE WHEN e.at >= @end THEN 1 ELSE 0 END
            """;
        command.AddParameter("@start", start.ToUnixTimeMilliseconds());
        command.AddParameter("@end", end.ToUnixTimeMilliseconds());
        command.AddParameter("@site", site.Id.Value);
        if (only is { } account)
        {
            command.AddParameter("@account", account.Value);
        }

        var rows = new List<(long, PostingKind, bool, int, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetInt64(0), (PostingKind)reader.GetInt32(1), reader.GetInt32(2) == 1, Convert.ToInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static async Task<List<(long Account, Statement.Line Line)>> LinesAsync(
        DbConnection connection, SiteFacts site, AccountId? only, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT la.account_id, e.id, e.at, e.kind, e.channel, e.reference, l.amount_minor
            FROM ledger_entries e
            JOIN ledger_lines l ON l.entry_id = e.id
            JOIN ledger_accounts la ON la.id = l.ledger_account_id
            JOIN accounts a ON a.id = la.account_id
            WHERE e.at >= @start AND e.at < @end AND e.kind <> @charge AND a.site_id = @site{(only is null ? string.Empty : " AND a.id = @account")}
            ORDER BY e.at, e.id
            """;
        command.AddParameter("@start", start.ToUnixTimeMilliseconds());
        command.AddParameter("@end", end.ToUnixTimeMilliseconds());
        command.AddParameter("@charge", (int)PostingKind.Charge);
        command.AddParameter("@site", site.Id.Value);
        if (only is { } account)
        {
            command.AddParameter("@account", account.Value);
        }

        var rows = new List<(long, Statement.Line)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetInt64(0), new Statement.Line(reader.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), (PostingKind)reader.GetInt32(3),
                reader.GetNullableString(4), reader.GetNullableString(5), reader.GetInt64(6))));
        }

        return rows;
    }
}
