using System.Data.Common;
using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Storage;

namespace Kilowallet.Server.Accounts;

/// <summary>
/// Reads an account's balance and watches its thresholds. Every money movement calls
/// <see cref="ObserveAsync"/> inside its own transaction, so threshold events are written
/// atomically with the movement that caused them.
/// </summary>
public sealed class BalanceService(TimeProvider clock)
{
    private const string Select = """
        SELECT a.warning1_minor, a.warning2_minor, a.trip_level_minor, a.reconnect_level_minor,
               a.accrued_pico, a.carry_pico, a.warning1_announced, a.warning2_announced, a.exhausted,
               COALESCE(l.balance_minor, 0), a.status
        FROM accounts a LEFT JOIN ledger_accounts l ON l.account_id = a.id
        WHERE a.id = @id
        """;

    public static async Task<AccountBalance?> ReadAsync(DbConnection connection, DbTransaction? transaction, AccountId account, CancellationToken cancellationToken)
    {
        var state = await ReadStateAsync(connection, transaction, account, cancellationToken);
        return state?.Balance;
    }

    /// <summary>Checks the thresholds after a movement; records crossings and the new alert state.</summary>
    public async Task<IReadOnlyList<BalanceEvent>> ObserveAsync(DbConnection connection, DbTransaction transaction, AccountId account, string cause, CancellationToken cancellationToken)
    {
        var state = await ReadStateAsync(connection, transaction, account, cancellationToken)
            ?? throw new InvalidOperationException($"Account {account} does not exist.");
        return await ApplyAsync(connection, transaction, account, state, cause, cancellationToken);
    }

    /// <summary>
    /// Adds rated charges to many accounts' unposted totals in one statement per chunk, then checks
    /// each account's thresholds — the billing pipeline's path, in its transaction.
    /// </summary>
    public async Task<IReadOnlyList<(AccountId Account, BalanceEvent Event)>> AccrueAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(long Account, long Pico)> accruals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accruals);
        var states = new Dictionary<long, (BalanceThresholds Thresholds, BalanceAlertState Alerts, long UnpostedPico, AccountStatus Status, long WalletMinor)>();
        if (MultiRow.ChunkFor(connection, 64) == 1)
        {
            await AccrueOnSqliteAsync(connection, transaction, accruals, states, cancellationToken);
        }
        else
        {
            await MultiRow.RunAsync(
                connection, transaction, accruals, 64, 2,
                rows => $"""
                    UPDATE accounts SET accrued_pico = accrued_pico + d.delta
                    FROM (SELECT column1 AS id, column2 AS delta FROM (VALUES {MultiRow.Values(rows, 2)}) AS v) AS d
                    WHERE accounts.id = d.id
                    RETURNING accounts.id, accounts.warning1_minor, accounts.warning2_minor, accounts.trip_level_minor, accounts.reconnect_level_minor,
                              accounts.accrued_pico, accounts.carry_pico, accounts.warning1_announced, accounts.warning2_announced, accounts.exhausted, accounts.status,
                              (SELECT l.balance_minor FROM ledger_accounts l WHERE l.account_id = accounts.id)
                    """,
                (p, a) =>
                {
                    p[0].Value = a.Account;
                    p[1].Value = a.Pico;
                },
                async reader =>
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        states[reader.GetInt64(0)] = (
                            BalanceThresholds.FromMinorUnits(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)),
                            new BalanceAlertState(reader.GetFlag(7), reader.GetFlag(8), reader.GetFlag(9)),
                            reader.GetInt64(5) + reader.GetInt64(6),
                            (AccountStatus)reader.GetInt32(10),
                            reader.IsDBNull(11) ? 0 : reader.GetInt64(11));
                    }
                },
                cancellationToken);
        }

        var events = new List<(AccountId, BalanceEvent)>();
        foreach (var (id, s) in states)
        {
            var balance = new AccountBalance(Money.FromMinorUnits(s.WalletMinor), MoneyPrecision.FromPicoUnits(s.UnpostedPico));
            var account = new AccountId(id);
            foreach (var each in await ApplyAsync(connection, transaction, account, new State(s.Thresholds, s.Alerts, balance, s.Status), "charge", cancellationToken))
            {
                events.Add((account, each));
            }
        }

        return events;
    }

    /// <summary>
    /// SQLite: one prepared single-row update per account, then the accounts' states in one query (the
    /// same values RETURNING would give, in the same transaction; a result set per row costs several
    /// times the update itself).
    /// </summary>
    private static async Task AccrueOnSqliteAsync(
        DbConnection connection,
        DbTransaction transaction,
        IReadOnlyList<(long Account, long Pico)> accruals,
        Dictionary<long, (BalanceThresholds Thresholds, BalanceAlertState Alerts, long UnpostedPico, AccountStatus Status, long WalletMinor)> states,
        CancellationToken cancellationToken)
    {
        await using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = "UPDATE accounts SET accrued_pico = accrued_pico + @delta WHERE id = @id";
            var delta = update.AddParameter("@delta", 0L);
            var id = update.AddParameter("@id", 0L);
            foreach (var (account, pico) in accruals)
            {
                (delta.Value, id.Value) = (pico, account);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = """
            SELECT a.id, a.warning1_minor, a.warning2_minor, a.trip_level_minor, a.reconnect_level_minor,
                   a.accrued_pico, a.carry_pico, a.warning1_announced, a.warning2_announced, a.exhausted, a.status,
                   (SELECT l.balance_minor FROM ledger_accounts l WHERE l.account_id = a.id)
            FROM accounts a WHERE a.id IN (SELECT value FROM json_each(@ids))
            """;
        read.AddParameter("@ids", "[" + string.Join(",", accruals.Select(a => a.Account.ToString(CultureInfo.InvariantCulture))) + "]");
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            states[reader.GetInt64(0)] = (
                BalanceThresholds.FromMinorUnits(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)),
                new BalanceAlertState(reader.GetFlag(7), reader.GetFlag(8), reader.GetFlag(9)),
                reader.GetInt64(5) + reader.GetInt64(6),
                (AccountStatus)reader.GetInt32(10),
                reader.IsDBNull(11) ? 0 : reader.GetInt64(11));
        }
    }

    private async Task<IReadOnlyList<BalanceEvent>> ApplyAsync(DbConnection connection, DbTransaction transaction, AccountId account, State state, string cause, CancellationToken cancellationToken)
    {
        var observation = BalanceWatch.Observe(state.Alerts, state.Balance.Available, state.Thresholds);
        if (observation.State != state.Alerts)
        {
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE accounts SET warning1_announced = @w1, warning2_announced = @w2, exhausted = @ex WHERE id = @id";
            update.AddParameter("@w1", observation.State.Warning1Announced);
            update.AddParameter("@w2", observation.State.Warning2Announced);
            update.AddParameter("@ex", observation.State.Exhausted);
            update.AddParameter("@id", account.Value);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        if (observation.Events.Length > 0)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO balance_events (account_id, kind, at, available_minor, cause) VALUES (@account, @kind, @at, @available, @cause)";
            insert.AddParameter("@account", account.Value);
            var kind = insert.AddParameter("@kind", 0);
            insert.AddParameter("@at", clock.GetUtcNow().ToUnixTimeMilliseconds());
            insert.AddParameter("@available", state.Balance.AvailableMinor);
            insert.AddParameter("@cause", cause);
            foreach (var each in observation.Events)
            {
                kind.Value = (int)each;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        return observation.Events;
    }

    private static async Task<State?> ReadStateAsync(DbConnection connection, DbTransaction? transaction, AccountId account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Select;
        command.AddParameter("@id", account.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var thresholds = BalanceThresholds.FromMinorUnits(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        var unposted = MoneyPrecision.FromPicoUnits(reader.GetInt64(4) + reader.GetInt64(5));
        var alerts = new BalanceAlertState(reader.GetFlag(6), reader.GetFlag(7), reader.GetFlag(8));
        var balance = new AccountBalance(Money.FromMinorUnits(reader.GetInt64(9)), unposted);
        return new State(thresholds, alerts, balance, (AccountStatus)reader.GetInt32(10));
    }

    private sealed record State(BalanceThresholds Thresholds, BalanceAlertState Alerts, AccountBalance Balance, AccountStatus Status);
}
