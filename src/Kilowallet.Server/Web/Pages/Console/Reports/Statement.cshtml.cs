using Kilowallet.Domain;
using Kilowallet.Server.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kilowallet.Server.Web.Pages.Console.Reports;

/// <summary>Any account's monthly statement, as the tenant sees it, for staff to print or answer questions.</summary>
public sealed class ReportsStatementModel(ReportService reports, StatementService statements) : PageModel
{
    public Statement? Statement { get; private set; }

    public async Task<IActionResult> OnGetAsync(long accountId, string month, CancellationToken cancellationToken)
    {
        if (!ReportEndpoints.TryMonth(month, out var year, out var number))
        {
            return NotFound();
        }

        Statement = await ReportEndpoints.LoadStatementAsync(reports, statements, null, new AccountId(accountId), year, number, cancellationToken);
        return Statement is null ? NotFound() : Page();
    }
}
