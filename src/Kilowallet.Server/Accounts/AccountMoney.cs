using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Payments;
using Kilowallet.Server.Storage;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Accounts;

/// <summary>
/// Every movement of a tenant's money apart from energy charges: top-ups (till and online),
/// reversals, refunds, adjustments, transfers and opening balances. Each runs in one transaction
/// with its ledger posting, the threshold events it causes and its audit record; each is
/// idempotent by its key; each refuses bad input before writing anything.
/// </summary>
public sealed class AccountMoney(
    StorageConnections connections,
    LedgerWriter ledger,
    BalanceService balances,
    AuditLog audit,
    IOptions<PaymentOptions> options,
    Metering.Billing.BalanceSignal signal,
    Notifications.NotificationOutbox notifications,
    TimeProvider clock)
{
    /// <summary>
    /// Credits a top-up. <paramref name="andThen"/> runs in the same transaction after the posting
    /// (also on a replay), so a payment order is settled atomically with its credit.
    /// </summary>
    public async Task<MoneyResult> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken, Func<DbConnection, DbTransaction, MoneyResult, Task>? andThen = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var amount = CheckAmount(command.Amount, "amount", options.Value.MaxTopUp);
        await PrepareAsync([command.Account], [command.Source], cancellationToken);
        var fingerprint = Fingerprint("topup", command.Account.Value, amount.ToMinorUnits(), command.Channel, command.Source.ToString());
        return await WriteAsync(
            async (connection, transaction) =>
            {
                if (await FindAsync(connection, transaction, command.Key, fingerprint, command.Account, cancellationToken) is { } earlier)
                {
                    if (andThen is not null)
                    {
                        await andThen(connection, transaction, earlier);
                    }

                    return earlier;
                }

                var site = await RequireOpenAsync(connection, transaction, command.Account, "account", cancellationToken);
                if (command.Currency is { } currency && !string.Equals(currency, site.Currency, StringComparison.OrdinalIgnoreCase))
                {
                    throw new MoneyOperationException("currency", $"This account is kept in {site.Currency}, not {currency}.");
                }

                var shift = command.AtTill ? await OpenShiftAsync(connection, transaction, command.Actor, cancellationToken) : (long?)null;
                var posting = Posting.TopUp(command.Account, amount, command.Source, command.Key, LedgerNames.Of(command.Actor));
                var details = new EntryDetails { Account = command.Account, Channel = command.Channel, Reference = command.Reference, ShiftId = shift, Fingerprint = fingerprint };
                var result = await CommitAsync(connection, transaction, posting, details, "topup", command.Actor, "topup.created", new { amount = amount.Amount, command.Channel, command.Reference }, cancellationToken);
                if (result.Created)
                {
                    // "Top-up received", committed with the credit (the outbox deduplicates by the top-up's key).
                    await notifications.EnqueueAsync(
                        connection, transaction,
                        Notifications.NotificationRequest.TopUp(command.Account, command.Key, amount, Money.FromMinorUnits(result.Balance.AvailableMinor), result.At),
                        cancellationToken);
                }

                if (andThen is not null)
                {
                    await andThen(connection, transaction, result);
                }

                return result;
            },
            cancellationToken);
    }

    /// <summary>Undoes a mistaken top-up. At the till only while its shift is open; the reversal is posted once.</summary>
    public async Task<MoneyResult> ReverseTopUpAsync(long entryId, string reason, string actor, bool isOperator, CancellationToken cancellationToken)
    {
        var why = RequireReason(reason);
        return await WriteAsync(
            async (connection, transaction) =>
            {
                var original = await LoadEntryAsync(connection, transaction, entryId, cancellationToken)
                    ?? throw new MoneyOperationException("entryId", $"There is no ledger entry {entryId}.") { NotFound = true };
                if (original.Posting.Kind != PostingKind.TopUp || original.Account is not { } account)
                {
                    throw new MoneyOperationException("entryId", $"Entry {entryId} is not a top-up; only top-ups are reversed here.");
                }

                var reversalKey = IdempotencyKey.ForReversalOf(original.Posting.Key);
                if (await FindAsync(connection, transaction, reversalKey, null, account, cancellationToken) is { } earlier)
                {
                    return earlier;
                }

                if (original.ShiftId is { } shift)
                {
                    var (cashier, closed) = await ShiftAsync(connection, transaction, shift, cancellationToken);
                    if (closed)
                    {
                        throw new MoneyOperationException("entryId", "The shift this top-up was taken in has closed; a correction now needs an adjustment by an operator.");
                    }

                    if (!isOperator && cashier != actor)
                    {
                        throw new MoneyOperationException("entryId", "Only the cashier who took this top-up (or an operator) can reverse it.");
                    }
                }
                else if (!isOperator)
                {
                    throw new MoneyOperationException("entryId", "Only an operator can reverse an online top-up.");
                }

                var posting = Posting.Reverse(original.Posting, why, LedgerNames.Of(actor));
                var details = new EntryDetails { Account = account, Channel = original.Channel, Reference = original.Reference, ReversesEntryId = entryId, ShiftId = original.ShiftId };
                return await CommitAsync(connection, transaction, posting, details, "reversal", actor, "topup.reversed", new { entryId, reason = why }, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>Pays part or all of the available balance back to the tenant through a payout channel.</summary>
    public async Task<MoneyResult> RefundAsync(AccountId account, decimal amountValue, string channel, string reason, string actor, IdempotencyKey key, CancellationToken cancellationToken)
    {
        var amount = CheckAmount(amountValue, "amount", decimal.MaxValue);
        var why = RequireReason(reason);
        var payout = RequireChannel(channel);
        await PrepareAsync([account], [LedgerAccountKey.RefundsPayable(payout)], cancellationToken);
        var fingerprint = Fingerprint("refund", account.Value, amount.ToMinorUnits(), payout);
        return await WriteAsync(
            async (connection, transaction) =>
            {
                if (await FindAsync(connection, transaction, key, fingerprint, account, cancellationToken) is { } earlier)
                {
                    return earlier;
                }

                await RequireOpenAsync(connection, transaction, account, "account", cancellationToken);
                await RequireAvailableAsync(connection, transaction, account, amount, cancellationToken);
                var posting = Posting.Refund(account, amount, payout, key, why, LedgerNames.Of(actor));
                var details = new EntryDetails { Account = account, Channel = payout, Fingerprint = fingerprint };
                return await CommitAsync(connection, transaction, posting, details, "refund", actor, "refund.created", new { amount = amount.Amount, channel = payout, reason = why }, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>An operator's correction: positive credits the tenant, negative debits.</summary>
    public async Task<MoneyResult> AdjustAsync(AccountId account, decimal amountValue, string reason, string actor, IdempotencyKey key, CancellationToken cancellationToken)
    {
        if (amountValue == 0)
        {
            throw new MoneyOperationException("amount", "An adjustment needs a non-zero amount.");
        }

        var amount = Money.Yuan(Math.Sign(amountValue)) * CheckAmount(Math.Abs(amountValue), "amount", options.Value.MaxTopUp).Amount;
        var why = RequireReason(reason);
        await PrepareAsync([account], [LedgerAccountKey.Adjustments], cancellationToken);
        var fingerprint = Fingerprint("adjust", account.Value, amount.ToMinorUnits());
        return await WriteAsync(
            async (connection, transaction) =>
            {
                if (await FindAsync(connection, transaction, key, fingerprint, account, cancellationToken) is { } earlier)
                {
                    return earlier;
                }

                await RequireOpenAsync(connection, transaction, account, "account", cancellationToken);
                var posting = Posting.Adjustment(account, amount, key, why, LedgerNames.Of(actor));
                var details = new EntryDetails { Account = account, Fingerprint = fingerprint };
                return await CommitAsync(connection, transaction, posting, details, "adjustment", actor, "adjustment.created", new { amount = amount.Amount, reason = why }, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>Moves available credit between two open accounts of the same tenant.</summary>
    public async Task<MoneyResult> TransferAsync(AccountId from, AccountId to, decimal amountValue, string reason, string actor, IdempotencyKey key, CancellationToken cancellationToken)
    {
        var amount = CheckAmount(amountValue, "amount", decimal.MaxValue);
        var why = RequireReason(reason);
        if (from == to)
        {
            throw new MoneyOperationException("toAccountId", "A transfer needs two different accounts.");
        }

        await PrepareAsync([from, to], [], cancellationToken);
        var fingerprint = Fingerprint("transfer", from.Value, to.Value, amount.ToMinorUnits());
        return await WriteAsync(
            async (connection, transaction) =>
            {
                if (await FindAsync(connection, transaction, key, fingerprint, from, cancellationToken) is { } earlier)
                {
                    return earlier;
                }

                var source = await RequireOpenAsync(connection, transaction, from, "accountId", cancellationToken);
                var destination = await RequireOpenAsync(connection, transaction, to, "toAccountId", cancellationToken);
                if (source.TenantId != destination.TenantId)
                {
                    throw new MoneyOperationException("toAccountId", "Credit moves only between accounts of the same tenant.");
                }

                await RequireAvailableAsync(connection, transaction, from, amount, cancellationToken);
                var posting = Posting.Transfer(from, to, amount, key, why, LedgerNames.Of(actor));
                var details = new EntryDetails { Account = from, Fingerprint = fingerprint };
                var result = await CommitAsync(connection, transaction, posting, details, "transfer", actor, "transfer.created", new { amount = amount.Amount, to = to.Value, reason = why }, cancellationToken);
                await balances.ObserveAsync(connection, transaction, to, "transfer", cancellationToken);
                return result;
            },
            cancellationToken);
    }

    /// <summary>Brings a balance over from a previous system (or gives a demo account its starting credit).</summary>
    public async Task<MoneyResult> OpeningBalanceAsync(AccountId account, Money amount, string actor, IdempotencyKey key, CancellationToken cancellationToken)
    {
        await PrepareAsync([account], [LedgerAccountKey.OpeningEquity], cancellationToken);
        return await WriteAsync(
            async (connection, transaction) =>
            {
                if (await FindAsync(connection, transaction, key, null, account, cancellationToken) is { } earlier)
                {
                    return earlier;
                }

                var posting = Posting.OpeningBalance(account, amount, key, LedgerNames.Of(actor));
                return await CommitAsync(connection, transaction, posting, new EntryDetails { Account = account }, "opening", actor, "opening-balance.created", new { amount = amount.Amount }, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>
    /// Closes an account with its final settlement. The caller posts every charge first. A credit
    /// balance becomes refunds payable through <paramref name="payout"/> (or is forfeited to
    /// adjustments when it is null); a debt is written off to adjustments. Refused while a meter still
    /// bills to the account or charges are still unposted. Closing again returns the first result.
    /// </summary>
    public async Task<MoneyResult> CloseAsync(AccountId account, string? payout, string reason, string actor, IdempotencyKey key, CancellationToken cancellationToken)
    {
        var why = RequireReason(reason);
        var channel = payout is null ? null : RequireChannel(payout);
        await PrepareAsync([account], [channel is null ? LedgerAccountKey.Adjustments : LedgerAccountKey.RefundsPayable(channel), LedgerAccountKey.Adjustments], cancellationToken);
        return await WriteAsync(
            async (connection, transaction) =>
            {
                if (await FindAsync(connection, transaction, key, null, account, cancellationToken) is { } earlier)
                {
                    return earlier;
                }

                await RequireOpenAsync(connection, transaction, account, "account", cancellationToken);
                await using (var meters = connection.CreateCommand())
                {
                    meters.Transaction = transaction;
                    meters.CommandText = "SELECT COUNT(*) FROM meters WHERE account_id = @id";
                    meters.AddParameter("@id", account.Value);
                    if (Convert.ToInt64(await meters.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0)
                    {
                        throw new MoneyOperationException("account", "Meters still bill to this account: move them to another account or unassign them first.");
                    }
                }

                var balance = (await BalanceService.ReadAsync(connection, transaction, account, cancellationToken))!.Value;
                if (balance.Unposted >= Money.FromMinorUnits(1))
                {
                    throw new MoneyOperationException("account", $"{balance.Unposted} of charges are not posted yet; post them before closing.");
                }

                // Closed before the settlement is observed, so closing raises no "credit exhausted" to the tenant.
                await using (var close = connection.CreateCommand())
                {
                    close.Transaction = transaction;
                    close.CommandText = "UPDATE accounts SET status = @closed, closed_at = @at WHERE id = @id";
                    close.AddParameter("@closed", (int)AccountStatus.Closed);
                    close.AddParameter("@at", clock.GetUtcNow().ToUnixTimeMilliseconds());
                    close.AddParameter("@id", account.Value);
                    await close.ExecuteNonQueryAsync(cancellationToken);
                }

                var details = new EntryDetails { Account = account, Channel = channel };
                if (balance.Posted == Money.Zero)
                {
                    await audit.RecordAsync(connection, transaction, actor, "account.closed", "account:" + account.Value, new { settlement = 0m, reason = why }, cancellationToken);
                    return new MoneyResult(0, true, clock.GetUtcNow(), 0, null, balance);
                }

                var destination = balance.Posted > Money.Zero && channel is not null ? LedgerAccountKey.RefundsPayable(channel) : LedgerAccountKey.Adjustments;
                var posting = Posting.ClosingSettlement(account, balance.Posted, destination, key, LedgerNames.Of(actor), why);
                return await CommitAsync(connection, transaction, posting, details, "close", actor, "account.closed", new { settlement = balance.Posted.Amount, destination = destination.ToString(), reason = why }, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>Closes the cashier's open shift; returns its id, or null when no shift was open.</summary>
    public async Task<long?> CloseShiftAsync(string cashier, DateTimeOffset at, CancellationToken cancellationToken) =>
        await connections.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "UPDATE cashier_shifts SET closed_at = @at WHERE cashier = @cashier AND closed_at IS NULL RETURNING id";
                command.AddParameter("@at", at.ToUnixTimeMilliseconds());
                command.AddParameter("@cashier", cashier);
                var id = await command.ExecuteScalarAsync(cancellationToken);
                if (id is null or DBNull)
                {
                    return (long?)null;
                }

                await audit.RecordAsync(connection, transaction, cashier, "shift.closed", "shift:" + id, null, cancellationToken);
                return Convert.ToInt64(id, CultureInfo.InvariantCulture);
            },
            cancellationToken);

    /// <summary>Runs a money transaction; afterwards the control loop looks at balances at once (a top-up may reconnect a meter).</summary>
    private async Task<MoneyResult> WriteAsync(Func<DbConnection, DbTransaction, Task<MoneyResult>> work, CancellationToken cancellationToken)
    {
        var result = await connections.WriteAsync(work, cancellationToken);
        if (result.Created)
        {
            signal.Raise();
        }

        return result;
    }

    /// <summary>Refuses unknown accounts (404) and creates the ledger accounts the posting will name, before its transaction.</summary>
    private async Task PrepareAsync(IReadOnlyList<AccountId> accounts, IReadOnlyList<LedgerAccountKey> others, CancellationToken cancellationToken)
    {
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            foreach (var account in accounts)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM accounts WHERE id = @id";
                command.AddParameter("@id", account.Value);
                if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
                {
                    throw new MoneyOperationException("accountId", $"There is no account {account}.") { NotFound = true };
                }
            }
        }

        await ledger.EnsureAccountsAsync(connections, [.. accounts.Select(LedgerAccountKey.Wallet), .. others], cancellationToken);
    }

    private async Task<MoneyResult> CommitAsync(
        DbConnection connection, DbTransaction transaction, Posting posting, EntryDetails details, string cause, string actor, string action, object auditDetails, CancellationToken cancellationToken)
    {
        var account = details.Account!.Value;
        var posted = await ledger.PostAsync(connection, transaction, posting, details, cancellationToken);
        if (posted.Created)
        {
            await balances.ObserveAsync(connection, transaction, account, cause, cancellationToken);
            await audit.RecordAsync(connection, transaction, actor, action, "account:" + account.Value, new { entry = posted.EntryId, detail = auditDetails }, cancellationToken);
        }

        var balance = await BalanceService.ReadAsync(connection, transaction, account, cancellationToken);
        return new MoneyResult(posted.EntryId, posted.Created, posted.At, posting.AmountFor(LedgerAccountKey.Wallet(account)), details.Reference, balance!.Value);
    }

    private static async Task<MoneyResult?> FindAsync(DbConnection connection, DbTransaction transaction, IdempotencyKey key, string? fingerprint, AccountId account, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, request_fingerprint, at, wallet_amount_minor, reference FROM ledger_entries WHERE idempotency_key = @key";
        command.AddParameter("@key", key.ToString());
        long id;
        DateTimeOffset at;
        long amount;
        string? reference;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            var stored = reader.GetNullableString(1);
            if (fingerprint is not null && stored is not null && stored != fingerprint)
            {
                throw new IdempotencyConflictException(key.ToString());
            }

            id = reader.GetInt64(0);
            at = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
            amount = reader.GetInt64(3);
            reference = reader.GetNullableString(4);
        }

        var balance = await BalanceService.ReadAsync(connection, transaction, account, cancellationToken);
        return new MoneyResult(id, false, at, amount, reference, balance!.Value);
    }

    private sealed record AccountFacts(long TenantId, string Currency);

    private static async Task<AccountFacts> RequireOpenAsync(DbConnection connection, DbTransaction transaction, AccountId account, string field, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT a.status, a.tenant_id, s.currency FROM accounts a JOIN sites s ON s.id = a.site_id WHERE a.id = @id";
        command.AddParameter("@id", account.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new MoneyOperationException(field, $"There is no account {account}.") { NotFound = true };
        }

        if ((AccountStatus)reader.GetInt32(0) != AccountStatus.Open)
        {
            throw new MoneyOperationException(field, $"Account {account} is closed.");
        }

        return new AccountFacts(reader.GetInt64(1), reader.GetString(2));
    }

    private static async Task RequireAvailableAsync(DbConnection connection, DbTransaction transaction, AccountId account, Money amount, CancellationToken cancellationToken)
    {
        var balance = await BalanceService.ReadAsync(connection, transaction, account, cancellationToken);
        if (balance is not { } current || Money.FromMinorUnits(current.AvailableMinor) < amount)
        {
            throw new MoneyOperationException("amount", $"Only {Money.FromMinorUnits(balance?.AvailableMinor ?? 0)} is available.");
        }
    }

    private async Task<long> OpenShiftAsync(DbConnection connection, DbTransaction transaction, string cashier, CancellationToken cancellationToken)
    {
        await using var find = connection.CreateCommand();
        find.Transaction = transaction;
        find.CommandText = "SELECT id FROM cashier_shifts WHERE cashier = @cashier AND closed_at IS NULL";
        find.AddParameter("@cashier", cashier);
        if (await find.ExecuteScalarAsync(cancellationToken) is { } open and not DBNull)
        {
            return Convert.ToInt64(open, CultureInfo.InvariantCulture);
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO cashier_shifts (cashier, opened_at) VALUES (@cashier, @at) RETURNING id";
        insert.AddParameter("@cashier", cashier);
        insert.AddParameter("@at", clock.GetUtcNow().ToUnixTimeMilliseconds());
        return Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task<(string Cashier, bool Closed)> ShiftAsync(DbConnection connection, DbTransaction transaction, long shift, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT cashier, closed_at FROM cashier_shifts WHERE id = @id";
        command.AddParameter("@id", shift);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetString(0), !reader.IsDBNull(1));
    }

    private sealed record StoredEntry(Posting Posting, AccountId? Account, string? Channel, string? Reference, long? ShiftId);

    private static async Task<StoredEntry?> LoadEntryAsync(DbConnection connection, DbTransaction transaction, long entryId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT e.kind, e.idempotency_key, e.reason, e.operator_id, e.account_id, e.channel, e.reference, e.shift_id, a.key, l.amount_minor
            FROM ledger_entries e JOIN ledger_lines l ON l.entry_id = e.id JOIN ledger_accounts a ON a.id = l.ledger_account_id
            WHERE e.id = @id
            """;
        command.AddParameter("@id", entryId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lines = new List<PostingLine>();
        (PostingKind Kind, string Key, string? Reason, string? Operator, long? Account, string? Channel, string? Reference, long? Shift)? head = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            head ??= ((PostingKind)reader.GetInt32(0), reader.GetString(1), reader.GetNullableString(2), reader.GetNullableString(3),
                reader.GetNullableInt64(4), reader.GetNullableString(5), reader.GetNullableString(6), reader.GetNullableInt64(7));
            lines.Add(new PostingLine(LedgerAccountKey.Parse(reader.GetString(8)), reader.GetInt64(9)));
        }

        if (head is not { } h)
        {
            return null;
        }

        var posting = Posting.Create(h.Kind, lines, IdempotencyKey.Parse(h.Key), h.Reason, h.Operator);
        return new StoredEntry(posting, h.Account is { } a ? new AccountId(a) : null, h.Channel, h.Reference, h.Shift);
    }

    /// <summary>A positive amount in whole fen, not above <paramref name="max"/>; otherwise a refusal naming the field.</summary>
    public static Money CheckAmount(decimal amount, string field, decimal max)
    {
        if (amount <= 0)
        {
            throw new MoneyOperationException(field, "The amount must be more than zero.");
        }

        if (decimal.Round(amount, 2) != amount)
        {
            throw new MoneyOperationException(field, "The amount has more than two decimals (fen are the smallest unit).");
        }

        if (amount > max)
        {
            throw new MoneyOperationException(field, $"The amount is above the maximum of {max.ToString("0.00", CultureInfo.InvariantCulture)}.");
        }

        return new Money(amount);
    }

    private static string RequireReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? throw new MoneyOperationException("reason", "A reason is required.") : reason.Trim();

    private static string RequireChannel(string? channel) =>
        channel is { Length: > 0 and <= 32 } && channel.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? channel.ToLowerInvariant()
            : throw new MoneyOperationException("channel", "The payout channel must be a short code such as cash, bank or wechat.");

    private static string Fingerprint(params object[] parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture)))))).ToLowerInvariant()[..32];
}
