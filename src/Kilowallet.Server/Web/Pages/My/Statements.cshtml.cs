using System.Globalization;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kilowallet.Server.Web.Pages.My;

/// <summary>The account's monthly statements, this month (to date) and the twelve before.</summary>
public sealed class PortalStatementsModel(TenantPortal portal) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "account")]
    public long? AccountId { get; set; }

    public long Account { get; private set; }

    public List<string> Months { get; } = [];

    public string AccountQuery => AccountId is { } id ? "?account=" + id.ToString(CultureInfo.InvariantCulture) : string.Empty;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (TenantClaims.TenantIdOf(User) is not { } tenant || await portal.ContextAsync(tenant, AccountId, cancellationToken) is not { } context)
        {
            return NotFound();
        }

        Account = context.Account.Id;
        var first = new DateOnly(context.Today.Year, context.Today.Month, 1);
        for (var i = 0; i <= 12; i++)
        {
            Months.Add(first.AddMonths(-i).ToString("yyyy-MM", CultureInfo.InvariantCulture));
        }

        return Page();
    }
}
