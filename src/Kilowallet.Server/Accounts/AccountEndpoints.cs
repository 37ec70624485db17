using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Accounts;

/// <summary>/api/v1/accounts: prepaid accounts, their balances, thresholds and ledger history.</summary>
public static class AccountEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/accounts").WithTags("Accounts");
        group.MapGet("/", List).RequireAuthorization(Auth.Policies.Staff);
        group.MapGet("/{accountId:long}", Get).RequireAuthorization(Auth.Policies.Staff);
        group.MapGet("/{accountId:long}/ledger", Ledger).RequireAuthorization(Auth.Policies.Staff);
        group.MapPost("/", Open).RequireAuthorization(Auth.Policies.Operate);
        group.MapPut("/{accountId:long}/thresholds", SetThresholds).RequireAuthorization(Auth.Policies.Operate);
        group.MapPost("/{accountId:long}/close", Close).RequireAuthorization(Auth.Policies.Operate);
        group.MapGet("/{accountId:long}/meters", Meters).RequireAuthorization(Auth.Policies.Staff);
        var meters = api.MapGroup("/meters/{meterId:long}").WithTags("Accounts");
        meters.MapPut("/account", Assign).RequireAuthorization(Auth.Policies.Operate);
        meters.MapGet("/assignments", Assignments).RequireAuthorization(Auth.Policies.Staff);
    }

    public sealed record CloseRequest(string? Payout, bool Forfeit, string? Reason);

    public sealed record AssignRequest(long? AccountId, decimal? FinalReadingKwh, string? Reason);

    public sealed record AssignmentDto(long Id, long MeterId, long? PreviousAccountId, long? AccountId, DateTimeOffset At, decimal? FinalReadingKwh, string? FinalReadingSource, string Actor, string Reason);

    public sealed record AccountMeterDto(long Id, string Serial, string ProfileName, string? UnitNumber, string? ShopName, Metering.MeterStatus Status);

    /// <summary>
    /// Closes the account: posts its outstanding charges, then settles the wallet — a credit is refunded
    /// through <c>payout</c> (cash, bank, …) or forfeited, a debt written off. Needs an Idempotency-Key.
    /// </summary>
    public static async Task<Results<Ok<MoneyEndpoints.MoneyResultDto>, Created<MoneyEndpoints.MoneyResultDto>, ProblemHttpResult, NotFound>> Close(
        long accountId, CloseRequest request, HttpContext http, AccountMoney money, Metering.Billing.ChargePoster charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IdempotencyKeys.FromRequest(http) is not { } key)
        {
            return Problems.Validation(IdempotencyKeys.Header, "Closing an account moves money: it needs an Idempotency-Key header.");
        }

        if (!request.Forfeit && string.IsNullOrWhiteSpace(request.Payout))
        {
            return Problems.Validation("payout", "Say how a remaining credit is paid back (cash, bank, …), or forfeit it.");
        }

        await charges.PostChargesAsync(cancellationToken, new AccountId(accountId));
        return await MoneyEndpoints.Run(() => money.CloseAsync(new AccountId(accountId), request.Forfeit ? null : request.Payout!.Trim().ToLowerInvariant(), request.Reason ?? string.Empty, AuditLog.ActorOf(http.User), key, cancellationToken));
    }

    public static async Task<Results<Ok<IReadOnlyList<AccountMeterDto>>, NotFound>> Meters(long accountId, KilowalletDb db, CancellationToken cancellationToken)
    {
        var id = new AccountId(accountId);
        if (!await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var meters = await (from m in db.Meters.AsNoTracking()
                            where m.AccountId == (AccountId?)id
                            join s in db.Shops on m.ShopId equals (ShopId?)s.Id into shops
                            from shop in shops.DefaultIfEmpty()
                            orderby m.Serial
                            select new AccountMeterDto(m.Id.Value, m.Serial, m.ProfileName, shop == null ? null : shop.UnitNumber, shop == null ? null : shop.Name, m.Status))
                           .ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AccountMeterDto>>(meters);
    }

    /// <summary>Moves a meter to another account (or to none) after a final reading billed to the old one.</summary>
    public static async Task<Results<Ok<AssignmentDto>, ProblemHttpResult, NotFound>> Assign(long meterId, AssignRequest request, HttpContext http, MeterAssignments assignments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var done = await assignments.AssignAsync(new MeterId(meterId), request.AccountId is { } a ? new AccountId(a) : null, request.FinalReadingKwh, request.Reason, AuditLog.ActorOf(http.User), cancellationToken);
            return TypedResults.Ok(ToDto(done));
        }
        catch (MoneyOperationException ex) when (ex.NotFound)
        {
            return TypedResults.NotFound();
        }
        catch (MoneyOperationException ex)
        {
            return Problems.Validation(ex.Field, ex.Message);
        }
    }

    public static async Task<Ok<IReadOnlyList<AssignmentDto>>> Assignments(long meterId, KilowalletDb db, CancellationToken cancellationToken)
    {
        var id = new MeterId(meterId);
        var rows = await db.MeterAssignments.AsNoTracking().Where(a => a.MeterId == id).OrderByDescending(a => a.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AssignmentDto>>(rows.ConvertAll(ToDto));
    }

    private static AssignmentDto ToDto(MeterAssignment a) =>
        new(a.Id, a.MeterId.Value, a.PreviousAccountId?.Value, a.AccountId?.Value, a.At, a.FinalReadingWh is { } wh ? wh / 1000m : null, a.FinalReadingSource, a.Actor, a.Reason);

    public sealed record AccountDto(
        long Id, long SiteId, long TenantId, string Number, AccountStatus Status,
        decimal Warning1, decimal Warning2, decimal TripLevel, decimal ReconnectLevel,
        decimal Balance, decimal Unposted, decimal Available, bool Exhausted);

    public sealed record LedgerLineDto(long EntryId, DateTimeOffset At, PostingKind Kind, decimal Amount, string? Channel, string? Reference, string? Reason, string? Operator, long? MeterId, RevenueBand? Band, DateTimeOffset? HourStart, long? ReversesEntryId);

    public sealed record OpenAccountRequest(long TenantId, string? Number, decimal? Warning1, decimal? Warning2, decimal? TripLevel, decimal? ReconnectLevel);

    public sealed record ThresholdsRequest(decimal Warning1, decimal Warning2, decimal TripLevel, decimal ReconnectLevel);

    public static async Task<Ok<Page<AccountDto>>> List(KilowalletDb db, long? siteId, long? tenantId, AccountStatus? status, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.Accounts.AsNoTracking();
        if (siteId is { } site)
        {
            var key = new SiteId(site);
            query = query.Where(a => a.SiteId == key);
        }

        if (tenantId is { } tenant)
        {
            var key = new TenantId(tenant);
            query = query.Where(a => a.TenantId == key);
        }

        if (status is { } wanted)
        {
            query = query.Where(a => a.Status == wanted);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(a => a.Id).Skip(paging.Offset).Take(paging.Limit)
            .Select(a => new { Account = a, Wallet = db.LedgerAccounts.Where(l => l.AccountId == a.Id).Select(l => (long?)l.BalanceMinor).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<AccountDto>(rows.ConvertAll(r => ToDto(r.Account, r.Wallet ?? 0)), total, paging.Offset, paging.Limit));
    }

    public static async Task<Results<Ok<AccountDto>, NotFound>> Get(KilowalletDb db, long accountId, CancellationToken cancellationToken)
    {
        var id = new AccountId(accountId);
        var row = await db.Accounts.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { Account = a, Wallet = db.LedgerAccounts.Where(l => l.AccountId == a.Id).Select(l => (long?)l.BalanceMinor).FirstOrDefault() })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(row.Account, row.Wallet ?? 0));
    }

    /// <summary>The wallet's ledger: every entry that moved this account's money, newest first, with the amount on this wallet.</summary>
    public static async Task<Results<Ok<Page<LedgerLineDto>>, NotFound>> Ledger(KilowalletDb db, long accountId, PostingKind? kind, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var id = new AccountId(accountId);
        if (!await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var paging = Paging.From(offset, limit);
        var query = from line in db.LedgerLines
                    join wallet in db.LedgerAccounts on line.LedgerAccountId equals wallet.Id
                    join entry in db.LedgerEntries on line.EntryId equals entry.Id
                    where wallet.AccountId == id
                    select new { line, entry };
        if (kind is { } wanted)
        {
            query = query.Where(x => x.entry.Kind == wanted);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(x => x.entry.Id).Skip(paging.Offset).Take(paging.Limit)
            .Select(x => new { x.entry, x.line.AmountMinor })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<LedgerLineDto>(
            items.ConvertAll(x => new LedgerLineDto(
                x.entry.Id, x.entry.At, x.entry.Kind, Money.FromMinorUnits(x.AmountMinor).Amount, x.entry.Channel, x.entry.Reference, x.entry.Reason,
                x.entry.OperatorId, x.entry.MeterId?.Value, x.entry.Band, x.entry.HourStart, x.entry.ReversesEntryId)),
            total,
            paging.Offset,
            paging.Limit));
    }

    public static async Task<Results<Created<AccountDto>, ProblemHttpResult>> Open(OpenAccountRequest request, KilowalletDb db, AuditLog audit, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tenantId = new TenantId(request.TenantId);
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (tenant is null)
        {
            return Problems.Validation("tenantId", "There is no such tenant.");
        }

        var thresholds = CheckThresholds(request.Warning1 ?? 100m, request.Warning2 ?? 50m, request.TripLevel ?? 0m, request.ReconnectLevel ?? (request.TripLevel ?? 0m) + 10m);
        if (thresholds.Errors is { } errors)
        {
            return Problems.Validation(errors);
        }

        var number = string.IsNullOrWhiteSpace(request.Number) ? $"A-{tenant.Code}-{clock.GetUtcNow().ToUnixTimeMilliseconds() % 100_000}" : request.Number.Trim();
        if (await db.Accounts.AnyAsync(a => a.SiteId == tenant.SiteId && a.Number == number, cancellationToken))
        {
            return Problems.Validation("number", $"Account number {number} is already used at this site.");
        }

        var account = new Account
        {
            SiteId = tenant.SiteId,
            TenantId = tenantId,
            Number = number,
            Status = AccountStatus.Open,
            OpenedAt = clock.GetUtcNow(),
        };
        Apply(account, thresholds.Value!.Value);
        db.Accounts.Add(account);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(db, AuditLog.ActorOf(http.User), "account.opened", "account:" + account.Id, new { account.Number, tenant = tenant.Code }, http.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/accounts/{account.Id}", ToDto(account, 0));
    }

    public static async Task<Results<Ok<AccountDto>, NotFound, ProblemHttpResult>> SetThresholds(
        long accountId, ThresholdsRequest request, KilowalletDb db, StorageConnections connections, BalanceService balances, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var thresholds = CheckThresholds(request.Warning1, request.Warning2, request.TripLevel, request.ReconnectLevel);
        if (thresholds.Errors is { } errors)
        {
            return Problems.Validation(errors);
        }

        var id = new AccountId(accountId);
        var t = thresholds.Value!.Value;
        var found = await connections.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    UPDATE accounts SET warning1_minor = @w1, warning2_minor = @w2, trip_level_minor = @trip, reconnect_level_minor = @reconnect
                    WHERE id = @id
                    """;
                command.AddParameter("@w1", t.Warning1.ToMinorUnits());
                command.AddParameter("@w2", t.Warning2.ToMinorUnits());
                command.AddParameter("@trip", t.TripLevel.ToMinorUnits());
                command.AddParameter("@reconnect", t.ReconnectLevel.ToMinorUnits());
                command.AddParameter("@id", accountId);
                if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    return false;
                }

                await balances.ObserveAsync(connection, transaction, id, "thresholds", cancellationToken);
                await audit.RecordAsync(connection, transaction, AuditLog.ActorOf(http.User), "account.thresholds", "account:" + accountId, request, cancellationToken);
                return true;
            },
            cancellationToken);
        if (!found)
        {
            return TypedResults.NotFound();
        }

        var updated = await Get(db, accountId, cancellationToken);
        return updated.Result is Ok<AccountDto> ok ? TypedResults.Ok(ok.Value!) : TypedResults.NotFound();
    }

    private static (BalanceThresholds? Value, Dictionary<string, string[]>? Errors) CheckThresholds(decimal warning1, decimal warning2, decimal trip, decimal reconnect)
    {
        var problems = BalanceThresholds.Problems(new Money(warning1), new Money(warning2), new Money(trip), new Money(reconnect));
        return problems.Count == 0
            ? (BalanceThresholds.Create(new Money(warning1), new Money(warning2), new Money(trip), new Money(reconnect)), null)
            : (null, new Dictionary<string, string[]> { ["thresholds"] = [.. problems] });
    }

    private static void Apply(Account account, BalanceThresholds thresholds)
    {
        account.Warning1Minor = thresholds.Warning1.ToMinorUnits();
        account.Warning2Minor = thresholds.Warning2.ToMinorUnits();
        account.TripLevelMinor = thresholds.TripLevel.ToMinorUnits();
        account.ReconnectLevelMinor = thresholds.ReconnectLevel.ToMinorUnits();
    }

    private static AccountDto ToDto(Account a, long walletMinor)
    {
        var balance = new AccountBalance(Money.FromMinorUnits(walletMinor), MoneyPrecision.FromPicoUnits(a.AccruedPico + a.CarryPico));
        return new AccountDto(
            a.Id.Value, a.SiteId.Value, a.TenantId.Value, a.Number, a.Status,
            Money.FromMinorUnits(a.Warning1Minor).Amount, Money.FromMinorUnits(a.Warning2Minor).Amount,
            Money.FromMinorUnits(a.TripLevelMinor).Amount, Money.FromMinorUnits(a.ReconnectLevelMinor).Amount,
            balance.Posted.Amount, MoneyRounding.ForDisplay(balance.Unposted).Amount, Money.FromMinorUnits(balance.AvailableMinor).Amount, a.Exhausted);
    }
}
