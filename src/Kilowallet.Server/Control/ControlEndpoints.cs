using System.Data.Common;
using Kilowallet.Domain;
using Kilowallet.Domain.Control;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Control;

/// <summary>
/// /api/v1: an operator's manual relay control (a lock with a reason, released back to automatic
/// control), a meter's command history and control state, keep-power exemptions and a site's friendly hours.
/// </summary>
public static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var meters = api.MapGroup("/meters/{meterId:long}").WithTags("Control").RequireAuthorization(Policies.Operate);
        meters.MapPost("/relay", OperateRelay);
        meters.MapDelete("/relay-lock", ReleaseLock);
        meters.MapGet("/commands", Commands);
        meters.MapGet("/control", Control);

        var keepPower = api.MapGroup("/keep-power").WithTags("Control").RequireAuthorization(Policies.Operate);
        keepPower.MapGet("/", ListKeepPower);
        keepPower.MapGet("/{id:long}", GetKeepPower);
        keepPower.MapPost("/", CreateKeepPower);
        keepPower.MapPut("/{id:long}", UpdateKeepPower);
        keepPower.MapDelete("/{id:long}", RevokeKeepPower);

        var sites = api.MapGroup("/sites/{siteId:long}/friendly-hours").WithTags("Control").RequireAuthorization(Policies.Operate);
        sites.MapGet("/", GetFriendlyHours);
        sites.MapPut("/", PutFriendlyHours);
    }

    /// <summary>action: "open" or "close"; the reason is required.</summary>
    public sealed record RelayRequest(string? Action, string? Reason);

    public sealed record ReasonRequest(string? Reason);

    public sealed record CommandDto(
        long Sequence, RelayState Target, string? Action, RelayCause Cause, string RequestedBy, string? Reason, RelayCommandStatus Status, int Attempts,
        DateTimeOffset QueuedAt, DateTimeOffset? SentAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? VerifiedAt, DateTimeOffset? FailedAt,
        DateTimeOffset? CompletedAt, long? LatencyMs, RelayReport? ReadBack, string? Error);

    public sealed record LockDto(OperatorLock State, string? Reason, string? By, DateTimeOffset? At);

    public sealed record DecisionDto(ControlAction Action, RelayCause? Cause, ControlHold Hold, DateTimeOffset? NotBefore, DeferralReason? Deferral, bool TenantMustPressButton, string Text);

    public sealed record ControlDto(
        long MeterId, string Serial, bool Controllable, bool FeedsOwnGateway, CloseMode CloseMode, RelayState Desired, RelayState? Commanded,
        RelayReport Reported, RelayCause? OpenedBy, LockDto Lock, SafetyHold SafetyHold, DateTimeOffset? SafetyHoldSince, decimal? AvailableBalance,
        IReadOnlyList<KeepPowerDto> KeepPower, DateTimeOffset? LastCommandAt, DateTimeOffset? NextDecisionAt, string? LastDecision,
        DateTimeOffset? LastDecisionAt, DecisionDto DecisionNow, CommandDto? LatestCommand);

    /// <summary>Exactly one of meterId and accountId; from defaults to now; until null is open-ended.</summary>
    public sealed record KeepPowerRequest(long? MeterId, long? AccountId, string? Reason, DateTimeOffset? From, DateTimeOffset? Until);

    public sealed record KeepPowerUpdate(string? Reason, DateTimeOffset? Until);

    public sealed record KeepPowerDto(
        long Id, long? MeterId, long? AccountId, string Reason, string GrantedBy, DateTimeOffset From, DateTimeOffset? Until, bool Active,
        DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? RevokedBy, string? RevokeReason);

    public sealed record WindowDto(string Start, string End);

    public sealed record FriendlyHoursRequest(IReadOnlyList<WindowDto>? DailyWindows, IReadOnlyList<string>? AllDayDays, bool? ProtectHolidays);

    public sealed record FriendlyHoursDto(
        long SiteId, string TimeZone, IReadOnlyList<WindowDto> DailyWindows, IReadOnlyList<string> AllDayDays, bool ProtectHolidays,
        bool IsDefault, IReadOnlyList<DateOnly> Holidays, DateTimeOffset? UpdatedAt, string? UpdatedBy);

    /// <summary>
    /// Opens or closes a relay by hand: an operator lock that overrides the balance (never a safety trip,
    /// and a meter feeding its own gateway is never opened) until released. Answers 202 with the control state.
    /// </summary>
    public static async Task<Results<Accepted<ControlDto>, NotFound, ProblemHttpResult>> OperateRelay(
        long meterId, RelayRequest request, MeterDirectory directory, StorageConnections connections, AuditLog audit, ControlService control,
        KilowalletDb db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var action = request.Action?.Trim().ToLowerInvariant();
        if (action is not ("open" or "close"))
        {
            errors["action"] = ["Say \"open\" or \"close\"."];
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["Say why the relay is operated by hand."];
        }

        if (errors.Count > 0)
        {
            return ControlProblems.Invalid(errors);
        }

        if (await directory.FindAsync(new MeterId(meterId), cancellationToken) is not { } meter)
        {
            return TypedResults.NotFound();
        }

        if (!ControlFactsLoader.IsControllable(meter))
        {
            return ControlProblems.Conflict($"Meter {meter.Serial} has no relay that can be commanded (its profile, status or connection).");
        }

        var open = action == "open";
        if (open && meter.FeedsOwnGateway)
        {
            return ControlProblems.Conflict($"Meter {meter.Serial} feeds its own gateway or DTU and is never cut.");
        }

        var actor = AuditLog.ActorOf(http.User);
        var reason = request.Reason!.Trim();
        await SetLockAsync(connections, audit, meter.Id, open ? OperatorLock.HeldOpen : OperatorLock.HeldClosed, reason, actor, clock.GetUtcNow(), "relay.locked", new { action, reason }, cancellationToken);
        await control.DecideAsync([meter.Id], cancellationToken);
        var view = await ViewAsync(meter.Id, control, db, clock, cancellationToken);
        return TypedResults.Accepted($"/api/v1/meters/{meterId}/control", view!);
    }

    /// <summary>Releases an operator lock: the meter returns to automatic control (which may reconnect or cut it at once).</summary>
    public static async Task<Results<Ok<ControlDto>, NotFound, ProblemHttpResult>> ReleaseLock(
        long meterId, [FromBody] ReasonRequest? request, MeterDirectory directory, StorageConnections connections, AuditLog audit, ControlService control,
        KilowalletDb db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Reason))
        {
            return ControlProblems.Invalid("reason", "Say why the meter goes back to automatic control.");
        }

        if (await directory.FindAsync(new MeterId(meterId), cancellationToken) is not { } meter)
        {
            return TypedResults.NotFound();
        }

        var actor = AuditLog.ActorOf(http.User);
        var reason = request.Reason.Trim();
        await SetLockAsync(connections, audit, meter.Id, OperatorLock.None, "released: " + reason, actor, clock.GetUtcNow(), "relay.unlocked", new { reason }, cancellationToken);
        await control.DecideAsync([meter.Id], cancellationToken);
        return TypedResults.Ok((await ViewAsync(meter.Id, control, db, clock, cancellationToken))!);
    }

    /// <summary>The meter's relay commands, newest first.</summary>
    public static async Task<Results<Ok<Page<CommandDto>>, NotFound>> Commands(long meterId, int? offset, int? limit, KilowalletDb db, CancellationToken cancellationToken)
    {
        var id = new MeterId(meterId);
        if (!await db.Meters.AnyAsync(m => m.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var paging = Paging.From(offset, limit);
        var query = db.RelayCommands.AsNoTracking().Where(c => c.MeterId == id);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(c => c.Sequence).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<CommandDto>(items.ConvertAll(ToDto), total, paging.Offset, paging.Limit));
    }

    /// <summary>Desired and reported relay, lock, safety hold, exemptions, the stored decision and what the policy would decide now.</summary>
    public static async Task<Results<Ok<ControlDto>, NotFound>> Control(long meterId, ControlService control, KilowalletDb db, TimeProvider clock, CancellationToken cancellationToken) =>
        await ViewAsync(new MeterId(meterId), control, db, clock, cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    /// <summary>active=true (default false: all) lists only exemptions in force; meterId/accountId filter.</summary>
    public static async Task<Ok<Page<KeepPowerDto>>> ListKeepPower(
        bool? active, long? meterId, long? accountId, int? offset, int? limit, KilowalletDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var now = clock.GetUtcNow();
        var rows = await db.KeepPower.AsNoTracking().ToListAsync(cancellationToken);
        var filtered = rows
            .Where(k => meterId is null || k.MeterId == new MeterId(meterId.Value))
            .Where(k => accountId is null || k.AccountId == new AccountId(accountId.Value))
            .Where(k => active != true || IsActive(k, now))
            .OrderByDescending(k => k.Id)
            .ToList();
        var items = filtered.Skip(paging.Offset).Take(paging.Limit).Select(k => ToDto(k, now)).ToList();
        return TypedResults.Ok(new Page<KeepPowerDto>(items, filtered.Count, paging.Offset, paging.Limit));
    }

    public static async Task<Results<Ok<KeepPowerDto>, NotFound>> GetKeepPower(long id, KilowalletDb db, TimeProvider clock, CancellationToken cancellationToken) =>
        await db.KeepPower.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken) is { } row
            ? TypedResults.Ok(ToDto(row, clock.GetUtcNow()))
            : TypedResults.NotFound();

    /// <summary>Grants keep-power to a meter or to every meter of an account, with a reason and an optional expiry.</summary>
    public static async Task<Results<Created<KeepPowerDto>, ProblemHttpResult>> CreateKeepPower(
        KeepPowerRequest request, KilowalletDb db, AuditLog audit, MeterDirectory directory, ControlWake wake, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var from = request.From ?? now;
        var errors = new Dictionary<string, string[]>();
        if ((request.MeterId is null) == (request.AccountId is null))
        {
            errors["meterId"] = ["Name either a meter or an account."];
        }
        else if (request.MeterId is { } m && !await db.Meters.AnyAsync(x => x.Id == new MeterId(m), cancellationToken))
        {
            errors["meterId"] = [$"There is no meter {m}."];
        }
        else if (request.AccountId is { } a && !await db.Accounts.AnyAsync(x => x.Id == new AccountId(a), cancellationToken))
        {
            errors["accountId"] = [$"There is no account {a}."];
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["Say why the supply must be kept on (e.g. a medical fridge, a dispute under review)."];
        }

        if (request.Until is { } until && until <= from)
        {
            errors["until"] = ["The exemption must end after it starts."];
        }

        if (errors.Count > 0)
        {
            return ControlProblems.Invalid(errors);
        }

        var actor = AuditLog.ActorOf(http.User);
        var row = new KeepPowerRecord
        {
            MeterId = request.MeterId is { } meter ? new MeterId(meter) : null,
            AccountId = request.AccountId is { } account ? new AccountId(account) : null,
            Reason = request.Reason!.Trim(),
            GrantedBy = actor,
            ValidFrom = from,
            ValidUntil = request.Until,
            CreatedAt = now,
        };
        db.KeepPower.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(db, actor, "keep-power.granted", "keep-power:" + row.Id, new { row.MeterId, row.AccountId, row.Reason, from, until = request.Until });
        await db.SaveChangesAsync(cancellationToken);
        await WakeAsync(row, directory, wake, cancellationToken);
        return TypedResults.Created($"/api/v1/keep-power/{row.Id}", ToDto(row, now));
    }

    /// <summary>Changes an exemption's reason or expiry.</summary>
    public static async Task<Results<Ok<KeepPowerDto>, NotFound, ProblemHttpResult>> UpdateKeepPower(
        long id, KeepPowerUpdate request, KilowalletDb db, AuditLog audit, MeterDirectory directory, ControlWake wake, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var row = await db.KeepPower.SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        if (row.RevokedAt is not null)
        {
            return ControlProblems.Conflict($"Keep-power {id} was revoked; grant a new one.");
        }

        if (request.Reason is not null && string.IsNullOrWhiteSpace(request.Reason))
        {
            return ControlProblems.Invalid("reason", "The reason cannot be empty.");
        }

        if (request.Until is { } until && until <= row.ValidFrom)
        {
            return ControlProblems.Invalid("until", "The exemption must end after it starts.");
        }

        row.Reason = request.Reason?.Trim() ?? row.Reason;
        row.ValidUntil = request.Until;
        audit.Record(db, AuditLog.ActorOf(http.User), "keep-power.changed", "keep-power:" + id, new { row.Reason, until = request.Until });
        await db.SaveChangesAsync(cancellationToken);
        await WakeAsync(row, directory, wake, cancellationToken);
        return TypedResults.Ok(ToDto(row, clock.GetUtcNow()));
    }

    /// <summary>Ends an exemption now, with a reason; an exhausted balance then cuts the supply (subject to friendly hours).</summary>
    public static async Task<Results<Ok<KeepPowerDto>, NotFound, ProblemHttpResult>> RevokeKeepPower(
        long id, [FromBody] ReasonRequest? request, KilowalletDb db, AuditLog audit, MeterDirectory directory, ControlWake wake, TimeProvider clock,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Reason))
        {
            return ControlProblems.Invalid("reason", "Say why the exemption ends.");
        }

        var row = await db.KeepPower.SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        var actor = AuditLog.ActorOf(http.User);
        if (row.RevokedAt is null)
        {
            row.RevokedAt = clock.GetUtcNow();
            row.RevokedBy = actor;
            row.RevokeReason = request.Reason.Trim();
            audit.Record(db, actor, "keep-power.revoked", "keep-power:" + id, new { reason = row.RevokeReason });
            await db.SaveChangesAsync(cancellationToken);
            await WakeAsync(row, directory, wake, cancellationToken);
        }

        return TypedResults.Ok(ToDto(row, clock.GetUtcNow()));
    }

    public static async Task<Results<Ok<FriendlyHoursDto>, NotFound>> GetFriendlyHours(long siteId, KilowalletDb db, CancellationToken cancellationToken) =>
        await FriendlyHoursAsync(new SiteId(siteId), db, cancellationToken) is { } dto ? TypedResults.Ok(dto) : TypedResults.NotFound();

    /// <summary>Sets a site's friendly hours: windows ("20:00"–"08:00"), whole days ("saturday"), and whether its holidays are protected.</summary>
    public static async Task<Results<Ok<FriendlyHoursDto>, NotFound, ProblemHttpResult>> PutFriendlyHours(
        long siteId, FriendlyHoursRequest request, KilowalletDb db, AuditLog audit, ControlFactsLoader facts, ControlWake wake, TimeProvider clock,
        HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = new SiteId(siteId);
        var site = await db.Sites.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (site is null)
        {
            return TypedResults.NotFound();
        }

        var windows = new List<DailyWindow>();
        var errors = new Dictionary<string, string[]>();
        var given = request.DailyWindows ?? [];
        for (var i = 0; i < given.Count; i++)
        {
            try
            {
                windows.Add(FriendlyHoursText.Window(given[i].Start, given[i].End));
            }
            catch (FormatException ex)
            {
                errors[$"dailyWindows[{i}]"] = [ex.Message];
            }
        }

        var days = new List<DayOfWeek>();
        foreach (var day in request.AllDayDays ?? [])
        {
            try
            {
                days.Add(FriendlyHoursText.Day(day));
            }
            catch (FormatException ex)
            {
                errors["allDayDays"] = [ex.Message];
            }
        }

        if (errors.Count == 0)
        {
            try
            {
                _ = new FriendlyHours(TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone), windows, days, []);
            }
            catch (ArgumentException ex)
            {
                errors["allDayDays"] = [ex.Message.Split(" (Parameter", StringSplitOptions.None)[0]];
            }
        }

        if (errors.Count > 0)
        {
            return ControlProblems.Invalid(errors);
        }

        var actor = AuditLog.ActorOf(http.User);
        var policy = await db.SiteControlPolicies.SingleOrDefaultAsync(p => p.SiteId == id, cancellationToken);
        if (policy is null)
        {
            policy = new SiteControlPolicy { SiteId = id, DailyWindows = string.Empty, AllDayDays = string.Empty, UpdatedBy = actor };
            db.SiteControlPolicies.Add(policy);
        }

        policy.DailyWindows = FriendlyHoursText.FormatWindows(windows);
        policy.AllDayDays = FriendlyHoursText.FormatDays(days);
        policy.ProtectHolidays = request.ProtectHolidays ?? false;
        policy.UpdatedAt = clock.GetUtcNow();
        policy.UpdatedBy = actor;
        audit.Record(db, actor, "friendly-hours.changed", "site:" + siteId, new { policy.DailyWindows, policy.AllDayDays, policy.ProtectHolidays });
        await db.SaveChangesAsync(cancellationToken);
        facts.InvalidateSites();
        wake.RaiseAll();
        return TypedResults.Ok((await FriendlyHoursAsync(id, db, cancellationToken))!);
    }

    /// <summary>The control state of a meter as the API shows it; null for an unknown meter.</summary>
    public static async Task<ControlDto?> ViewAsync(MeterId meter, ControlService control, KilowalletDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        if (await control.PreviewAsync(meter, cancellationToken) is not { } preview)
        {
            return null;
        }

        var (facts, decision) = preview;
        var now = clock.GetUtcNow();
        var row = facts.Row;
        var account = facts.Meter.Account;
        var latest = await db.RelayCommands.AsNoTracking().Where(c => c.MeterId == meter).OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(cancellationToken);
        var exemptions = (await db.KeepPower.AsNoTracking().Where(k => k.RevokedAt == null && (k.MeterId == meter || (account != null && k.AccountId == account))).ToListAsync(cancellationToken))
            .Where(k => IsActive(k, now))
            .Select(k => ToDto(k, now))
            .ToList();
        var situation = facts.Situation;
        return new ControlDto(
            meter.Value,
            facts.Meter.Serial,
            ControlFactsLoader.IsControllable(facts.Meter),
            facts.Meter.FeedsOwnGateway,
            situation.CloseMode,
            situation.Desired,
            row?.Commanded,
            situation.Reported switch
            {
                RelayState.Open => RelayReport.Open,
                RelayState.Closed => RelayReport.Closed,
                _ => RelayReport.Unknown,
            },
            situation.OpenedBy,
            new LockDto(situation.OperatorLock, row?.LockReason, row?.LockedBy, row?.LockedAt),
            situation.SafetyHold,
            row?.SafetyHoldSince,
            facts.Balance?.Available.Amount,
            exemptions,
            row?.LastCommandAt,
            row?.NextDecisionAt,
            row?.LastDecision,
            row?.LastDecisionAt,
            new DecisionDto(decision.Action, decision.Cause, decision.Hold, decision.NotBefore, decision.Deferral, decision.TenantMustPressButton, ControlText.Describe(decision, facts.Zone)),
            latest is null ? null : ToDto(latest));
    }

    private static async Task SetLockAsync(
        StorageConnections connections, AuditLog audit, MeterId meter, OperatorLock state, string reason, string actor, DateTimeOffset at, string action, object details,
        CancellationToken cancellationToken) =>
        await connections.WriteAsync(
            async (DbConnection connection, DbTransaction transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO meter_control (meter_id, desired, reported, operator_lock, lock_reason, locked_by, locked_at, safety_hold)
                    VALUES (@meter, 0, 0, @lock, @reason, @by, @at, 0)
                    ON CONFLICT (meter_id) DO UPDATE SET
                        operator_lock = excluded.operator_lock, lock_reason = excluded.lock_reason, locked_by = excluded.locked_by, locked_at = excluded.locked_at
                    """;
                command.AddParameter("@meter", meter.Value);
                command.AddParameter("@lock", (int)state);
                command.AddParameter("@reason", reason.Length <= 500 ? reason : reason[..500]);
                command.AddParameter("@by", actor.Length <= 128 ? actor : actor[..128]);
                command.AddParameter("@at", at.ToUnixTimeMilliseconds());
                await command.ExecuteNonQueryAsync(cancellationToken);
                await audit.RecordAsync(connection, transaction, actor, action, "meter:" + meter.Value, details, cancellationToken);
                return 0;
            },
            cancellationToken);

    private static async Task WakeAsync(KeepPowerRecord row, MeterDirectory directory, ControlWake wake, CancellationToken cancellationToken)
    {
        if (row.MeterId is { } meter)
        {
            wake.Raise(meter);
            return;
        }

        foreach (var each in (await directory.AllAsync(cancellationToken)).Where(m => m.Account == row.AccountId))
        {
            wake.Raise(each.Id);
        }
    }

    private static async Task<FriendlyHoursDto?> FriendlyHoursAsync(SiteId site, KilowalletDb db, CancellationToken cancellationToken)
    {
        var found = await db.Sites.AsNoTracking().SingleOrDefaultAsync(s => s.Id == site, cancellationToken);
        if (found is null)
        {
            return null;
        }

        var policy = await db.SiteControlPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.SiteId == site, cancellationToken);
        var holidays = policy?.ProtectHolidays == true
            ? await db.SiteHolidays.AsNoTracking().Where(h => h.SiteId == site && !h.WorkingDay).OrderBy(h => h.Date).Select(h => h.Date).ToListAsync(cancellationToken)
            : [];
        return new FriendlyHoursDto(
            site.Value,
            found.TimeZone,
            FriendlyHoursText.ParseWindows(policy?.DailyWindows).Select(w => new WindowDto(FriendlyHoursText.Format(w.Start), FriendlyHoursText.Format(w.End))).ToList(),
            FriendlyHoursText.ParseDays(policy?.AllDayDays).Select(FriendlyHoursText.DayCode).ToList(),
            policy?.ProtectHolidays ?? false,
            policy is null,
            holidays,
            policy?.UpdatedAt,
            policy?.UpdatedBy);
    }

    private static bool IsActive(KeepPowerRecord row, DateTimeOffset now) =>
        row.RevokedAt is null && row.ValidFrom <= now && (row.ValidUntil is null || row.ValidUntil > now);

    private static KeepPowerDto ToDto(KeepPowerRecord k, DateTimeOffset now) => new(
        k.Id, k.MeterId?.Value, k.AccountId?.Value, k.Reason, k.GrantedBy, k.ValidFrom, k.ValidUntil, IsActive(k, now), k.CreatedAt, k.RevokedAt, k.RevokedBy, k.RevokeReason);

    private static CommandDto ToDto(RelayCommandRecord c) => new(
        c.Sequence, c.Target, c.Action, c.Cause, c.RequestedBy, c.Reason, c.Status, c.Attempts, c.QueuedAt, c.SentAt, c.AcknowledgedAt, c.VerifiedAt, c.FailedAt,
        c.CompletedAt, c.LatencyMs, c.ReadBack, c.Error);
}
