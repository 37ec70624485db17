using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Domain.Notifications;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Web.Localization;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Reports;

/// <summary>
/// The tenant portal's reads. Every method takes the signed-in tenant and answers only about that
/// tenant's own accounts: another tenant's account is "not found", never "forbidden".
/// </summary>
public sealed class TenantPortal(StorageConnections connections, IDbContextFactory<KilowalletDb> dbFactory, LiveStateStore live, TimeProvider clock)
{
    /// <summary>An account of the tenant, for the account switcher.</summary>
    public sealed record AccountChoice(long Id, string Number, SiteId Site, AccountStatus Status);

    /// <summary>A wallet movement as the history lists it.</summary>
    public sealed record HistoryLine(long EntryId, DateTimeOffset At, PostingKind Kind, long AmountMinor, string? Channel, string? Reference, string? Reason, long? MeterId, RevenueBand? Band, DateTimeOffset? HourStart);

    /// <summary>A receipt: one posting on the tenant's wallet and the balance after it.</summary>
    public sealed record Receipt(HistoryLine Line, string AccountNumber, string TenantName, string SiteName, string Currency, TimeZoneInfo Zone, long BalanceAfterMinor);

    public async Task<IReadOnlyList<AccountChoice>> AccountsAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenant).OrderBy(a => a.Status).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.Number, a.SiteId, a.Status }).ToListAsync(cancellationToken);
        return rows.ConvertAll(a => new AccountChoice(a.Id.Value, a.Number, a.SiteId, a.Status));
    }

    /// <summary>The tenant's account <paramref name="account"/>, or its first open account when null; null when it is not the tenant's.</summary>
    public async Task<AccountChoice?> ChooseAsync(TenantId tenant, long? account, CancellationToken cancellationToken)
    {
        var accounts = await AccountsAsync(tenant, cancellationToken);
        return account is { } id ? accounts.FirstOrDefault(a => a.Id == id) : accounts.Count > 0 ? accounts[0] : null;
    }

    /// <summary>The chosen account of the tenant with its site's time zone and today's local date; null when not the tenant's.</summary>
    public async Task<(AccountChoice Account, TimeZoneInfo Zone, DateOnly Today)?> ContextAsync(TenantId tenant, long? account, CancellationToken cancellationToken)
    {
        if (await ChooseAsync(tenant, account, cancellationToken) is not { } choice)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var zoneName = await db.Sites.Where(s => s.Id == choice.Site).Select(s => s.TimeZone).SingleAsync(cancellationToken);
        var zone = NotificationOutbox.ZoneOf(zoneName);
        return (choice, zone, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime));
    }

    public async Task<TenantDashboard?> DashboardAsync(TenantId tenant, long? accountId, CancellationToken cancellationToken)
    {
        if (await ChooseAsync(tenant, accountId, cancellationToken) is not { } choice)
        {
            return null;
        }

        var account = new AccountId(choice.Id);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var facts = await (from a in db.Accounts.AsNoTracking()
                           join t in db.Tenants on a.TenantId equals t.Id
                           join s in db.Sites on a.SiteId equals s.Id
                           where a.Id == account
                           select new { a.SiteId, a.TripLevelMinor, a.Exhausted, TenantName = t.Name, SiteName = s.Name, s.TimeZone, s.Currency }).SingleAsync(cancellationToken);
        var meterRows = await (from m in db.Meters.AsNoTracking()
                               where m.AccountId == account && m.Status != MeterStatus.Decommissioned
                               join sh in db.Shops on m.ShopId equals (ShopId?)sh.Id into shops
                               from shop in shops.DefaultIfEmpty()
                               orderby m.Serial
                               select new { m.Id, m.Serial, Unit = shop == null ? null : shop.UnitNumber, Name = shop == null ? null : shop.Name }).ToListAsync(cancellationToken);
        var zone = NotificationOutbox.ZoneOf(facts.TimeZone);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var balance = await BalanceService.ReadAsync(connection, null, account, cancellationToken) ?? new AccountBalance(Money.Zero, Money.Zero);
        var available = Money.FromMinorUnits(balance.AvailableMinor);
        var yearStart = ReportPeriod.Midnight(new DateOnly(today.Year, 1, 1), zone);
        var todayStart = ReportPeriod.Midnight(today, zone);
        var tomorrow = ReportPeriod.Midnight(today.AddDays(1), zone);
        var site = facts.SiteId;
        var yearDaily = await UsageReader.ReadAsync(connection, new UsageQuery(site, yearStart, tomorrow, zone) { Key = UsageKey.Account, Bucketing = UsageBucketing.LocalDay, Account = account }, cancellationToken);
        var todayHourly = await UsageReader.ReadAsync(connection, new UsageQuery(site, todayStart, tomorrow, zone) { Key = UsageKey.Account, Bucketing = UsageBucketing.Hour, Account = account }, cancellationToken);

        // "About N days left" exactly as the notification computes it: charges and fees of the last seven days.
        await using var cost = connection.CreateCommand();
        cost.CommandText = "SELECT COALESCE(-SUM(wallet_amount_minor), 0) FROM ledger_entries WHERE account_id = @account AND kind IN (@charge, @fee) AND at >= @from AND at < @to";
        cost.AddParameter("@account", account.Value);
        cost.AddParameter("@charge", (int)PostingKind.Charge);
        cost.AddParameter("@fee", (int)PostingKind.FixedFee);
        cost.AddParameter("@from", (now - TimeSpan.FromDays(ExhaustionForecast.HistoryDays)).ToUnixTimeMilliseconds());
        cost.AddParameter("@to", now.ToUnixTimeMilliseconds());
        var spent = Money.FromMinorUnits(Convert.ToInt64(await cost.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture));
        var days = ExhaustionForecast.DaysLeft(available, Money.FromMinorUnits(facts.TripLevelMinor), spent);

        return new TenantDashboard
        {
            AccountId = choice.Id,
            AccountNumber = choice.Number,
            TenantName = facts.TenantName,
            SiteName = facts.SiteName,
            Currency = facts.Currency,
            Zone = zone,
            Today = today,
            Available = available,
            TripLevel = Money.FromMinorUnits(facts.TripLevelMinor),
            Exhausted = facts.Exhausted,
            DaysLeft = days,
            Meters = [.. meterRows.Select(m =>
            {
                var state = live.Get(m.Id);
                return new TenantDashboard.MeterState(m.Id.Value, m.Serial, m.Unit, m.Name, state.Relay, state.Link, state.LastHeardAt, false);
            })],
            TodayHourly = todayHourly,
            YearDaily = yearDaily,
        };
    }

    /// <summary>Today per local hour, this month per day and this year per month, stacked by band (inline SVG).</summary>
    public static (string Today, string Month, string Year) Charts(TenantDashboard dashboard, Text t)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        ArgumentNullException.ThrowIfNull(t);
        var bands = Enum.GetValues<TariffBand>();
        var todayStart = ReportPeriod.Midnight(dashboard.Today, dashboard.Zone);
        var hours = Enumerable.Range(0, 24).Select(h => todayStart.AddHours(h)).ToList();
        var today = SvgChart.StackedBars(
            [.. hours.Select(h => TimeZoneInfo.ConvertTime(h, dashboard.Zone).Hour.ToString("00", CultureInfo.InvariantCulture))],
            [.. bands.Select(b => new ChartSeries(t["Band" + b], SvgChart.BandColor(b), [.. hours.Select(h => dashboard.TodayHourly.Where(r => r.Bucket == h.ToUnixTimeMilliseconds() && r.Band == b).Sum(r => r.EnergyWh) / 1000m)]))],
            "kWh", t["ChartToday"], 360, 200);
        var first = new DateOnly(dashboard.Today.Year, dashboard.Today.Month, 1);
        var monthDays = Enumerable.Range(0, DateTime.DaysInMonth(first.Year, first.Month)).Select(first.AddDays).ToList();
        var month = SvgChart.StackedBars(
            [.. monthDays.Select(d => d.Day.ToString(CultureInfo.InvariantCulture))],
            [.. bands.Select(b => new ChartSeries(t["Band" + b], SvgChart.BandColor(b), [.. monthDays.Select(d => dashboard.YearDaily.Where(r => r.Day == d && r.Band == b).Sum(r => r.EnergyWh) / 1000m)]))],
            "kWh", t["ChartMonth"], 360, 200);
        var months = Enumerable.Range(1, 12).ToList();
        var year = SvgChart.StackedBars(
            [.. months.Select(m => m.ToString(CultureInfo.InvariantCulture))],
            [.. bands.Select(b => new ChartSeries(t["Band" + b], SvgChart.BandColor(b), [.. months.Select(m => dashboard.YearDaily.Where(r => r.Day.Month == m && r.Band == b).Sum(r => r.EnergyWh) / 1000m)]))],
            "kWh", t["ChartYear"], 360, 200);
        return (today, month, year);
    }

    /// <summary>The wallet's movements of one local month of the account, oldest first; null when the account is not the tenant's.</summary>
    public async Task<IReadOnlyList<HistoryLine>?> HistoryAsync(TenantId tenant, long accountId, ReportPeriod period, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (await ChooseAsync(tenant, accountId, cancellationToken) is null)
        {
            return null;
        }

        var (start, end) = period.Instants(zone);
        var id = new AccountId(accountId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from line in db.LedgerLines
                          join wallet in db.LedgerAccounts on line.LedgerAccountId equals wallet.Id
                          join entry in db.LedgerEntries on line.EntryId equals entry.Id
                          where wallet.AccountId == id && entry.At >= start && entry.At < end
                          orderby entry.Id
                          select new { entry, line.AmountMinor }).AsNoTracking().ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new HistoryLine(r.entry.Id, r.entry.At, r.entry.Kind, r.AmountMinor, r.entry.Channel, r.entry.Reference, r.entry.Reason, r.entry.MeterId?.Value, r.entry.Band, r.entry.HourStart));
    }

    /// <summary>A receipt for a posting on one of the tenant's wallets (null for anyone else's); staff pass no tenant.</summary>
    public async Task<Receipt?> ReceiptAsync(TenantId? tenant, long entryId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await (from line in db.LedgerLines
                         join wallet in db.LedgerAccounts on line.LedgerAccountId equals wallet.Id
                         join entry in db.LedgerEntries on line.EntryId equals entry.Id
                         join account in db.Accounts on wallet.AccountId equals (AccountId?)account.Id
                         join t in db.Tenants on account.TenantId equals t.Id
                         join s in db.Sites on account.SiteId equals s.Id
                         where entry.Id == entryId && (tenant == null || account.TenantId == tenant)
                         select new { entry, line.AmountMinor, WalletId = wallet.Id, account.Number, TenantName = t.Name, SiteName = s.Name, s.Currency, s.TimeZone })
                         .AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var after = await db.LedgerLines.Where(l => l.LedgerAccountId == row.WalletId && l.EntryId <= entryId).SumAsync(l => l.AmountMinor, cancellationToken);
        var e = row.entry;
        return new Receipt(
            new HistoryLine(e.Id, e.At, e.Kind, row.AmountMinor, e.Channel, e.Reference, e.Reason, e.MeterId?.Value, e.Band, e.HourStart),
            row.Number, row.TenantName, row.SiteName, row.Currency, NotificationOutbox.ZoneOf(row.TimeZone), after);
    }
}
