using System.Globalization;
using Kilowallet.Server.Reports;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kilowallet.Server.Web.Pages.Console.Reports;

/// <summary>Every account's statement of a month at a glance, each linking to its printable statement.</summary>
public sealed class ReportsStatementsModel(ReportService reports, StatementService statements, TimeProvider clock) : PageModel
{
    public string Month { get; private set; } = string.Empty;

    public IReadOnlyList<Statement> Statements { get; private set; } = [];

    public async Task OnGetAsync(long? siteId, string? month, CancellationToken cancellationToken)
    {
        if (await reports.SiteAsync(siteId, cancellationToken) is not { } site)
        {
            return;
        }

        var today = site.Today(clock);
        if (!ReportEndpoints.TryMonth(month, out var year, out var number))
        {
            (year, number) = (today.Year, today.Month);
        }

        Month = new DateOnly(year, number, 1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        Statements = await statements.BuildAsync(site, year, number, null, cancellationToken);
    }
}
