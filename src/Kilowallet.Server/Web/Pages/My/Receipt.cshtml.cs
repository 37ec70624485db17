using Kilowallet.Server.Auth;
using Kilowallet.Server.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kilowallet.Server.Web.Pages.My;

/// <summary>A printable receipt of one posting on the tenant's own wallet; anyone else's is not found.</summary>
public sealed class PortalReceiptModel(TenantPortal portal) : PageModel
{
    public TenantPortal.Receipt? Receipt { get; private set; }

    public async Task<IActionResult> OnGetAsync(long entryId, CancellationToken cancellationToken)
    {
        if (TenantClaims.TenantIdOf(User) is not { } tenant)
        {
            return NotFound();
        }

        Receipt = await portal.ReceiptAsync(tenant, entryId, cancellationToken);
        return Receipt is null ? NotFound() : Page();
    }
}
