using Kilowallet.Server.Auth;
using Kilowallet.Server.Reports;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kilowallet.Server.Web.Pages.My;

/// <summary>The tenant's home: balance, days of credit left, meters, today and this month, charts by band.</summary>
public sealed class PortalHomeModel(TenantPortal portal, Text text) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "account")]
    public long? AccountId { get; set; }

    public TenantDashboard? Dashboard { get; private set; }

    public IReadOnlyList<TenantPortal.AccountChoice> Accounts { get; private set; } = [];

    public (string Today, string Month, string Year) Charts { get; private set; }

    public string AccountQuery => AccountId is { } id ? "?account=" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (TenantClaims.TenantIdOf(User) is not { } tenant)
        {
            return Forbid();
        }

        Accounts = await portal.AccountsAsync(tenant, cancellationToken);
        Dashboard = await portal.DashboardAsync(tenant, AccountId, cancellationToken);
        if (Dashboard is null)
        {
            return AccountId is null ? Content(text["NoAccount"]) : NotFound();
        }

        Charts = TenantPortal.Charts(Dashboard, text);
        return Page();
    }
}
