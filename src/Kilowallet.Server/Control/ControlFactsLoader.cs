using System.Data.Common;
using Kilowallet.Domain;
using Kilowallet.Domain.Control;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Safety;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Control;

/// <summary>
/// Gathers, in a few queries, what <see cref="ControlPolicy"/> needs for a set of meters: stored control
/// states, the accounts' available balances and thresholds, active keep-power exemptions, the sites'
/// friendly hours (cached; <see cref="InvalidateSites"/> after a change), safety holds and the relay
/// states the meters last reported.
/// </summary>
public sealed class ControlFactsLoader(
    StorageConnections connections,
    IDbContextFactory<KilowalletDb> dbFactory,
    LiveStateStore live,
    SafetyHoldRegistry holds,
    TimeProvider clock,
    ILogger<ControlFactsLoader> logger) : IDisposable
{
    /// <summary>A balance no meter without an account can exhaust (public-area circuits are never cut for credit).</summary>
    private static readonly Money Unmetered = Money.Yuan(1_000_000_000m);

    private static readonly TimeSpan SiteCacheAge = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _sitesGate = new(1, 1);
    private (DateTimeOffset LoadedAt, Dictionary<SiteId, SiteFacts> Sites)? _sites;

    /// <summary>A site's zone and friendly hours.</summary>
    public sealed record SiteFacts(TimeZoneInfo Zone, FriendlyHours? Hours);

    /// <summary>Whether a meter's relay can be commanded: active, not a master incomer, a relay in its profile, and reachable (a gateway or MQTT).</summary>
    public static bool IsControllable(MeterContext meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        var profile = meter.Profile;
        var hasRelay = profile.Modbus?.RelayCommands.Count > 0 || profile.Dlt645?.RelayCommands.Count > 0 || profile.Mqtt?.RelayState is not null;
        return meter.Status == MeterStatus.Active && meter.Purpose != MeterPurpose.Master && hasRelay
            && (meter.Gateway is not null || meter.MqttClientId is not null);
    }

    public void InvalidateSites() => _sites = null;

    public void Dispose() => _sitesGate.Dispose();

    public async Task<SiteFacts> SiteAsync(SiteId site, CancellationToken cancellationToken) =>
        (await SitesAsync(cancellationToken)).GetValueOrDefault(site) ?? new SiteFacts(TimeZoneInfo.Utc, null);

    public async Task<Dictionary<MeterId, MeterControlFacts>> LoadAsync(IReadOnlyCollection<MeterContext> meters, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var result = new Dictionary<MeterId, MeterControlFacts>(meters.Count);
        if (meters.Count == 0)
        {
            return result;
        }

        var sites = await SitesAsync(cancellationToken);
        var meterIds = meters.Select(m => m.Id.Value).ToHashSet();
        var accountIds = meters.Where(m => m.Account is not null).Select(m => m.Account!.Value.Value).ToHashSet();
        Dictionary<MeterId, MeterControlRecord> rows;
        Dictionary<AccountId, (BalanceThresholds Thresholds, AccountBalance Balance, AccountStatus Status)> accounts;
        List<(MeterId? Meter, AccountId? Account, KeepPowerExemption Exemption)> keepPower;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            rows = await ReadRowsAsync(connection, meterIds, cancellationToken);
            accounts = await ReadAccountsAsync(connection, accountIds, cancellationToken);
            keepPower = await ReadKeepPowerAsync(connection, now, cancellationToken);
        }

        foreach (var meter in meters)
        {
            var row = rows.GetValueOrDefault(meter.Id);
            var site = sites.GetValueOrDefault(meter.Site) ?? new SiteFacts(TimeZoneInfo.Utc, null);
            var account = meter.Account is { } id && accounts.TryGetValue(id, out var found) ? found : ((BalanceThresholds, AccountBalance, AccountStatus)?)null;
            var reported = live.Get(meter.Id).Relay switch
            {
                RelayReport.Open => RelayState.Open,
                RelayReport.Closed => RelayState.Closed,
                _ => row?.Reported switch
                {
                    RelayReport.Open => RelayState.Open,
                    RelayReport.Closed => RelayState.Closed,
                    _ => (RelayState?)null,
                },
            };
            var situation = new ControlSituation
            {
                Now = now,
                AvailableBalance = account?.Item2.Available ?? Unmetered,
                Thresholds = account?.Item1 ?? default,
                Desired = row?.Desired ?? RelayState.Closed,
                Reported = reported,
                OpenedBy = row?.Desired == RelayState.Open ? row.OpenedBy : null,
                KeepPower = keepPower.Where(k => k.Meter == meter.Id || (k.Account is not null && k.Account == meter.Account)).Select(k => k.Exemption).ToList(),
                FriendlyHours = site.Hours,
                FeedsOwnGateway = meter.FeedsOwnGateway,
                OperatorLock = row?.OperatorLock ?? OperatorLock.None,
                SafetyHold = holds.Get(meter.Id),
                LastCommandAt = row?.LastCommandAt,
                CloseMode = meter.Profile.CloseMode == Protocols.Profiles.CloseMode.CloseAllowed ? CloseMode.CloseAllowed : CloseMode.Direct,
            };
            result[meter.Id] = new MeterControlFacts(meter, row, account?.Item2, account is null || account.Value.Item3 == AccountStatus.Open, situation, site.Zone);
        }

        return result;
    }

    private static async Task<Dictionary<MeterId, MeterControlRecord>> ReadRowsAsync(DbConnection connection, HashSet<long> meters, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT meter_id, desired, opened_by, commanded, reported, reported_at, operator_lock, lock_reason, locked_by, locked_at,
                   safety_hold, safety_hold_since, last_command_at, next_decision_at, last_decision, last_decision_at
            FROM meter_control
            """ + (meters.Count <= SqlIn.MaxValues ? " WHERE meter_id IN " + SqlIn.List(command, "m", meters) : string.Empty);
        var rows = new Dictionary<MeterId, MeterControlRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new MeterControlRecord
            {
                MeterId = new MeterId(reader.GetInt64(0)),
                Desired = (RelayState)reader.GetInt32(1),
                OpenedBy = reader.IsDBNull(2) ? null : (RelayCause)reader.GetInt32(2),
                Commanded = reader.IsDBNull(3) ? null : (RelayState)reader.GetInt32(3),
                Reported = (RelayReport)reader.GetInt32(4),
                ReportedAt = At(reader, 5),
                OperatorLock = (OperatorLock)reader.GetInt32(6),
                LockReason = reader.GetNullableString(7),
                LockedBy = reader.GetNullableString(8),
                LockedAt = At(reader, 9),
                SafetyHold = (SafetyHold)reader.GetInt32(10),
                SafetyHoldSince = At(reader, 11),
                LastCommandAt = At(reader, 12),
                NextDecisionAt = At(reader, 13),
                LastDecision = reader.GetNullableString(14),
                LastDecisionAt = At(reader, 15),
            };
            if (meters.Contains(row.MeterId.Value))
            {
                rows[row.MeterId] = row;
            }
        }

        return rows;
    }

    private static async Task<Dictionary<AccountId, (BalanceThresholds, AccountBalance, AccountStatus)>> ReadAccountsAsync(
        DbConnection connection, HashSet<long> accounts, CancellationToken cancellationToken)
    {
        var result = new Dictionary<AccountId, (BalanceThresholds, AccountBalance, AccountStatus)>();
        if (accounts.Count == 0)
        {
            return result;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.id, a.warning1_minor, a.warning2_minor, a.trip_level_minor, a.reconnect_level_minor, a.accrued_pico, a.carry_pico,
                   COALESCE(l.balance_minor, 0), a.status
            FROM accounts a LEFT JOIN ledger_accounts l ON l.account_id = a.id
            """ + (accounts.Count <= SqlIn.MaxValues ? " WHERE a.id IN " + SqlIn.List(command, "a", accounts) : string.Empty);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            if (!accounts.Contains(id))
            {
                continue;
            }

            var thresholds = BalanceThresholds.FromMinorUnits(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
            var balance = new AccountBalance(Money.FromMinorUnits(reader.GetInt64(7)), MoneyPrecision.FromPicoUnits(reader.GetInt64(5) + reader.GetInt64(6)));
            result[new AccountId(id)] = (thresholds, balance, (AccountStatus)reader.GetInt32(8));
        }

        return result;
    }

    private static async Task<List<(MeterId?, AccountId?, KeepPowerExemption)>> ReadKeepPowerAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT meter_id, account_id, reason, granted_by, valid_from, valid_until FROM keep_power_exemptions
            WHERE revoked_at IS NULL AND (valid_until IS NULL OR valid_until > @now)
            """;
        command.AddParameter("@now", now.ToUnixTimeMilliseconds());
        var result = new List<(MeterId?, AccountId?, KeepPowerExemption)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add((
                reader.IsDBNull(0) ? null : new MeterId(reader.GetInt64(0)),
                reader.IsDBNull(1) ? null : new AccountId(reader.GetInt64(1)),
                new KeepPowerExemption(reader.GetString(2), reader.GetString(3), At(reader, 4)!.Value, At(reader, 5))));
        }

        return result;
    }

    private async Task<Dictionary<SiteId, SiteFacts>> SitesAsync(CancellationToken cancellationToken)
    {
        if (_sites is { } cached && clock.GetUtcNow() - cached.LoadedAt < SiteCacheAge)
        {
            return cached.Sites;
        }

        await _sitesGate.WaitAsync(cancellationToken);
        try
        {
            if (_sites is { } again && clock.GetUtcNow() - again.LoadedAt < SiteCacheAge)
            {
                return again.Sites;
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var sites = await db.Sites.AsNoTracking().Select(s => new { s.Id, s.TimeZone }).ToListAsync(cancellationToken);
            var policies = await db.SiteControlPolicies.AsNoTracking().ToListAsync(cancellationToken);
            var holidays = await db.SiteHolidays.AsNoTracking().Where(h => !h.WorkingDay).Select(h => new { h.SiteId, h.Date }).ToListAsync(cancellationToken);
            var result = new Dictionary<SiteId, SiteFacts>();
            foreach (var site in sites)
            {
                var zone = Zone(site.TimeZone);
                FriendlyHours? hours = null;
                if (policies.FirstOrDefault(p => p.SiteId == site.Id) is { } policy)
                {
                    try
                    {
                        hours = new FriendlyHours(
                            zone,
                            FriendlyHoursText.ParseWindows(policy.DailyWindows),
                            FriendlyHoursText.ParseDays(policy.AllDayDays),
                            policy.ProtectHolidays ? holidays.Where(h => h.SiteId == site.Id).Select(h => h.Date) : []);
                    }
                    catch (Exception ex) when (ex is FormatException or ArgumentException)
                    {
                        logger.LogError(ex, "Site {Site}: the stored friendly hours are invalid and are ignored", site.Id);
                    }
                }

                result[site.Id] = new SiteFacts(zone, hours);
            }

            _sites = (clock.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _sitesGate.Release();
        }
    }

    private static TimeZoneInfo Zone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    private static DateTimeOffset? At(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
