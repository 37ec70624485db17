using Kilowallet.Domain;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kilowallet.Server.Web.Pages.My;

/// <summary>A monthly statement of one of the tenant's own accounts, printable (charts are inline SVG); anyone else's is not found.</summary>
public sealed class PortalStatementModel(ReportService reports, StatementService statements) : PageModel
{
    public Statement? Statement { get; private set; }

    public async Task<IActionResult> OnGetAsync(long accountId, string month, CancellationToken cancellationToken)
    {
        if (TenantClaims.TenantIdOf(User) is not { } tenant || !ReportEndpoints.TryMonth(month, out var year, out var number))
        {
            return NotFound();
        }

        Statement = await ReportEndpoints.LoadStatementAsync(reports, statements, tenant, new AccountId(accountId), year, number, cancellationToken);
        return Statement is null ? NotFound() : Page();
    }
}
