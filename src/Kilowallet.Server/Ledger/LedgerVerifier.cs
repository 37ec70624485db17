using System.Globalization;
using Kilowallet.Server.Storage;

namespace Kilowallet.Server.Ledger;

/// <summary>
/// Checks the ledger's invariants against the database: every cached balance equals the sum of its
/// lines, every entry balances to zero with at least two lines, all balances sum to zero, and every
/// account's unposted charges equal its usage not yet posted (with a carry below one fen).
/// Used by the verify-ledger command and the tests; it reads only.
/// </summary>
public sealed class LedgerVerifier(StorageConnections connections)
{
    public async Task<IReadOnlyList<string>> VerifyAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT a.key, a.balance_minor, COALESCE(SUM(l.amount_minor), 0)
                FROM ledger_accounts a LEFT JOIN ledger_lines l ON l.ledger_account_id = a.id
                GROUP BY a.id, a.key, a.balance_minor
                HAVING a.balance_minor <> COALESCE(SUM(l.amount_minor), 0)
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(0)}: cached balance {reader.GetInt64(1)} fen, but its lines sum to {reader.GetInt64(2)} fen"));
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT e.id, e.idempotency_key, COALESCE(SUM(l.amount_minor), 0), COUNT(l.id)
                FROM ledger_entries e LEFT JOIN ledger_lines l ON l.entry_id = e.id
                GROUP BY e.id, e.idempotency_key
                HAVING COALESCE(SUM(l.amount_minor), 0) <> 0 OR COUNT(l.id) < 2
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"entry {reader.GetInt64(0)} ({reader.GetString(1)}): {reader.GetInt64(3)} lines summing to {reader.GetInt64(2)} fen"));
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT COALESCE(SUM(balance_minor), 0) FROM ledger_accounts";
            var total = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            if (total != 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"all balances sum to {total} fen, not zero"));
            }
        }

        // Accrued charges: each account's unposted total equals what its usage buckets have not yet posted.
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT a.number, a.accrued_pico, COALESCE(SUM(u.amount_pico - u.posted_pico), 0), a.carry_pico
                FROM accounts a LEFT JOIN usage_hourly u ON u.account_key = a.id
                GROUP BY a.id, a.number, a.accrued_pico, a.carry_pico
                HAVING a.accrued_pico <> COALESCE(SUM(u.amount_pico - u.posted_pico), 0) OR a.carry_pico < 0 OR a.carry_pico >= 10000000000
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"account {reader.GetString(0)}: unposted charges {reader.GetInt64(1)} pico, usage not yet posted {reader.GetInt64(2)} pico, carry {reader.GetInt64(3)} pico"));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return problems;
    }
}
