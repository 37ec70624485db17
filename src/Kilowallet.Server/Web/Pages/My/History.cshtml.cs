using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Reports;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kilowallet.Server.Web.Pages.My;

/// <summary>
/// The account's money of one month: top-ups, fees, refunds one by one (each with its receipt), the
/// hourly electricity charges summed per day; and the month's postings as CSV, one row per posting.
/// </summary>
public sealed class PortalHistoryModel(TenantPortal portal, Text text) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "account")]
    public long? AccountId { get; set; }

    [BindProperty(SupportsGet = true, Name = "month")]
    public string? Month { get; set; }

    public DateOnly Today { get; private set; }

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public List<Item> Items { get; } = [];

    public string AccountQuery => AccountId is { } id ? "?account=" + id.ToString(CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>A row of the history: one posting, or a day's charges.</summary>
    public sealed record Item(long? EntryId, DateTimeOffset At, PostingKind Kind, long AmountMinor, int Count, string? Reference);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var lines = await LoadAsync(cancellationToken);
        if (lines is null)
        {
            return NotFound();
        }

        foreach (var group in lines.GroupBy(l => l.Kind == PostingKind.Charge ? "c" + DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(l.At, Zone).DateTime).ToString("yyyyMMdd", CultureInfo.InvariantCulture) : "e" + l.EntryId.ToString(CultureInfo.InvariantCulture)))
        {
            var first = group.First();
            Items.Add(first.Kind == PostingKind.Charge
                ? new Item(null, first.At, PostingKind.Charge, group.Sum(l => l.AmountMinor), group.Count(), null)
                : new Item(first.EntryId, first.At, first.Kind, first.AmountMinor, 1, first.Reference ?? first.Channel));
        }

        Items.Reverse();
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var lines = await LoadAsync(cancellationToken);
        if (lines is null)
        {
            return NotFound();
        }

        var table = new ReportTable("history", text["NavHistory"],
        [
            new("entry", text["EntryCol"], ColumnKind.Text), new("time", text["TimeCol"], ColumnKind.Text), new("kind", text["KindCol"], ColumnKind.Text),
            new("amount", text["Amount"], ColumnKind.Money), new("channel", text["ChannelCol"], ColumnKind.Text), new("reference", text["Reference"], ColumnKind.Text),
            new("meter", text["Meter"], ColumnKind.Text), new("band", text["BandCol"], ColumnKind.Text), new("hour", text["HourOfUseCol"], ColumnKind.Text),
        ]);
        foreach (var l in lines)
        {
            table.Add(l.EntryId.ToString(CultureInfo.InvariantCulture), Local(l.At), text["Kind" + l.Kind], Money.FromMinorUnits(l.AmountMinor).Amount, l.Channel, l.Reference,
                l.MeterId?.ToString(CultureInfo.InvariantCulture), l.Band is { } band ? text["Band" + band] : null, l.HourStart is { } hour ? Local(hour) : null);
        }

        return File(TableFiles.Csv(table), TableFiles.CsvContentType, $"kilowallet-history-{Month}.csv");
    }

    private string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private async Task<IReadOnlyList<TenantPortal.HistoryLine>?> LoadAsync(CancellationToken cancellationToken)
    {
        if (TenantClaims.TenantIdOf(User) is not { } tenant || await portal.ContextAsync(tenant, AccountId, cancellationToken) is not { } context)
        {
            return null;
        }

        Zone = context.Zone;
        Today = context.Today;
        if (!ReportEndpoints.TryMonth(Month, out var year, out var month))
        {
            (year, month) = (Today.Year, Today.Month);
        }

        Month = new DateOnly(year, month, 1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return await portal.HistoryAsync(tenant, context.Account.Id, ReportPeriod.Month(year, month), Zone, cancellationToken);
    }
}
