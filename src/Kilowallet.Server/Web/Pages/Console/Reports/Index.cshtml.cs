using System.Globalization;
using Kilowallet.Server.Reports;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Console.Reports;

/// <summary>The property's energy analysis for a site and a period, every table downloadable as CSV or Excel.</summary>
public sealed class ReportsIndexModel(ReportService reports, KilowalletDb db, Text text, TimeProvider clock) : PageModel
{
    public AnalysisReport? Report { get; private set; }

    public IReadOnlyList<(long Id, string Name)> Sites { get; private set; } = [];

    public string? From { get; private set; }

    public string? To { get; private set; }

    public string? Basis { get; private set; }

    public decimal LossThreshold { get; private set; } = 5m;

    public string? Error { get; private set; }

    public string? PeriodMessage { get; private set; }

    public string Query { get; private set; } = string.Empty;

    public string Today { get; private set; } = string.Empty;

    public string MonthStart { get; private set; } = string.Empty;

    public string LastMonthStart { get; private set; } = string.Empty;

    public string LastMonthEnd { get; private set; } = string.Empty;

    public async Task OnGetAsync(long? siteId, string? from, string? to, string? basis, decimal? lossThreshold, int? nightStart, int? nightEnd, CancellationToken cancellationToken)
    {
        Sites = (await db.Sites.AsNoTracking().OrderBy(s => s.Id).Select(s => new { s.Id, s.Name }).ToListAsync(cancellationToken)).ConvertAll(s => (s.Id.Value, s.Name));
        Basis = basis;
        var site = await reports.SiteAsync(siteId, cancellationToken);
        if (site is null)
        {
            Error = text["NoSite"];
            return;
        }

        var today = site.Today(clock);
        Today = Iso(today);
        MonthStart = Iso(new DateOnly(today.Year, today.Month, 1));
        LastMonthStart = Iso(new DateOnly(today.Year, today.Month, 1).AddMonths(-1));
        LastMonthEnd = Iso(new DateOnly(today.Year, today.Month, 1).AddDays(-1));
        var (options, _, error) = ReportEndpoints.Options(basis, lossThreshold, nightStart, nightEnd);
        if (options is null)
        {
            Error = error;
            options = new AnalysisOptions();
        }

        LossThreshold = options.LossThresholdPercent;
        var resolved = ResolvedPeriod.Resolve(from, to, today);
        PeriodMessage = ReportEndpoints.Message(resolved, text);
        From = Iso(resolved.Period.From);
        To = Iso(resolved.Period.LastDay);
        Query = string.Create(CultureInfo.InvariantCulture, $"siteId={site.Id.Value}&from={From}&to={To}&basis={(options.Basis == ApportionmentBasis.MeteredUse ? "metered-use" : "floor-area")}&lossThreshold={options.LossThresholdPercent}&nightStart={options.NightStartHour}&nightEnd={options.NightEndHour}");
        Report = await reports.AnalyseAsync(site, resolved, options, text, cancellationToken);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
