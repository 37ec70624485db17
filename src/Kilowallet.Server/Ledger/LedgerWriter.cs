using System.Collections.Concurrent;
using System.Data.Common;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Storage;

namespace Kilowallet.Server.Ledger;

/// <summary>
/// Writes postings into the ledger inside the caller's transaction: the entry (unique by its
/// idempotency key, so a retried posting writes nothing and returns the original), its lines, and
/// each ledger account's cached balance (an atomic increment, so concurrent postings never lose an
/// update). The same SQL runs on SQLite and PostgreSQL.
/// </summary>
public sealed class LedgerWriter(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, long> _accountIds = new(StringComparer.Ordinal);

    public async Task<PostedEntry> PostAsync(DbConnection connection, DbTransaction transaction, Posting posting, EntryDetails details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(posting);
        ArgumentNullException.ThrowIfNull(details);
        var key = posting.Key.ToString();
        var at = clock.GetUtcNow();
        var walletAmount = details.Account is { } account ? posting.AmountFor(LedgerAccountKey.Wallet(account)) : 0;

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO ledger_entries (kind, idempotency_key, request_fingerprint, at, account_id, wallet_amount_minor, reason, operator_id,
                                        channel, reference, reverses_entry_id, meter_id, band, hour_start, shift_id)
            VALUES (@kind, @key, @fingerprint, @at, @account, @wallet, @reason, @operator, @channel, @reference, @reverses, @meter, @band, @hour, @shift)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
            """;
        insert.AddParameter("@kind", (int)posting.Kind);
        insert.AddParameter("@key", key);
        insert.AddParameter("@fingerprint", details.Fingerprint);
        insert.AddParameter("@at", at.ToUnixTimeMilliseconds());
        insert.AddParameter("@account", details.Account?.Value);
        insert.AddParameter("@wallet", walletAmount);
        insert.AddParameter("@reason", posting.Reason);
        insert.AddParameter("@operator", posting.OperatorId);
        insert.AddParameter("@channel", details.Channel);
        insert.AddParameter("@reference", details.Reference);
        insert.AddParameter("@reverses", details.ReversesEntryId);
        insert.AddParameter("@meter", details.Meter?.Value);
        insert.AddParameter("@band", details.Band is { } band ? (int)band : null);
        insert.AddParameter("@hour", details.HourStart?.ToUnixTimeMilliseconds());
        insert.AddParameter("@shift", details.ShiftId);
        var inserted = await insert.ExecuteScalarAsync(cancellationToken);
        if (inserted is null or DBNull)
        {
            return await ExistingAsync(connection, transaction, key, details.Fingerprint, cancellationToken);
        }

        var entryId = Convert.ToInt64(inserted, System.Globalization.CultureInfo.InvariantCulture);
        var lines = new List<(long AccountId, long Amount)>(posting.Lines.Length);
        foreach (var line in posting.Lines)
        {
            lines.Add((await AccountIdAsync(connection, transaction, line.Account, cancellationToken), line.AmountMinor));
        }

        // A fixed order of balance updates: two postings on the same accounts cannot deadlock.
        lines.Sort((a, b) => a.AccountId.CompareTo(b.AccountId));
        await using var addLine = connection.CreateCommand();
        addLine.Transaction = transaction;
        addLine.CommandText = """
            INSERT INTO ledger_lines (entry_id, ledger_account_id, amount_minor) VALUES (@entry, @account, @amount);
            UPDATE ledger_accounts SET balance_minor = balance_minor + @amount WHERE id = @account;
            """;
        var entryParameter = addLine.AddParameter("@entry", entryId);
        var accountParameter = addLine.AddParameter("@account", 0L);
        var amountParameter = addLine.AddParameter("@amount", 0L);
        foreach (var (accountId, amount) in lines)
        {
            entryParameter.Value = entryId;
            accountParameter.Value = accountId;
            amountParameter.Value = amount;
            await addLine.ExecuteNonQueryAsync(cancellationToken);
        }

        return new PostedEntry(entryId, true, at);
    }

    /// <summary>
    /// Creates the ledger accounts a coming posting names, each in its own committed transaction,
    /// before the posting's transaction starts: a posting never creates accounts, so every id it
    /// reads is committed and may be cached.
    /// </summary>
    public async Task EnsureAccountsAsync(StorageConnections connections, IEnumerable<LedgerAccountKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(keys);
        var missing = keys.Distinct().Where(k => !_accountIds.ContainsKey(k.ToString())).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        await connections.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                // No conflict target: a wallet is unique by key and by account, and on PostgreSQL only the target's index is
                // an arbiter, so two nodes creating the same wallet at once failed on the account's index instead of doing nothing.
                command.CommandText = "INSERT INTO ledger_accounts (key, kind, account_id, balance_minor, created_at) VALUES (@key, @kind, @account, 0, @at) ON CONFLICT DO NOTHING";
                var key = command.AddParameter("@key", string.Empty);
                var kind = command.AddParameter("@kind", 0);
                var account = command.AddParameter("@account", null);
                command.AddParameter("@at", clock.GetUtcNow().ToUnixTimeMilliseconds());
                foreach (var each in missing)
                {
                    key.Value = each.ToString();
                    kind.Value = (int)each.Kind;
                    account.Value = (object?)each.WalletAccount?.Value ?? DBNull.Value;
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                return true;
            },
            cancellationToken);
    }

    private async Task<long> AccountIdAsync(DbConnection connection, DbTransaction transaction, LedgerAccountKey key, CancellationToken cancellationToken)
    {
        var text = key.ToString();
        if (_accountIds.TryGetValue(text, out var cached))
        {
            return cached;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id FROM ledger_accounts WHERE key = @key";
        command.AddParameter("@key", text);
        var id = await command.ExecuteScalarAsync(cancellationToken)
            ?? throw new InvalidOperationException($"The ledger account {text} does not exist; EnsureAccountsAsync must run before the posting.");
        return _accountIds[text] = Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<PostedEntry> ExistingAsync(DbConnection connection, DbTransaction transaction, string key, string? fingerprint, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, request_fingerprint, at FROM ledger_entries WHERE idempotency_key = @key";
        command.AddParameter("@key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"The entry '{key}' conflicted on insert but cannot be found.");
        }

        var existingFingerprint = reader.GetNullableString(1);
        if (fingerprint is not null && existingFingerprint is not null && fingerprint != existingFingerprint)
        {
            throw new IdempotencyConflictException(key);
        }

        return new PostedEntry(reader.GetInt64(0), false, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
    }
}
