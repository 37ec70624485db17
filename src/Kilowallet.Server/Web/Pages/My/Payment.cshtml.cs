using Kilowallet.Domain;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Payments;
using Kilowallet.Server.Reports;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.My;

/// <summary>
/// Where the payment provider sends the tenant back: the latest online top-up of the account, settled
/// at once by asking the provider when its callback has not arrived yet, the new balance, and the
/// meters' relays (the page refreshes itself while a meter is still off after a successful payment).
/// </summary>
public sealed class PortalPaymentModel(TenantPortal portal, PaymentService payments, KilowalletDb db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "account")]
    public long? AccountId { get; set; }

    public PaymentOrder? Order { get; private set; }

    public TenantDashboard? Dashboard { get; private set; }

    public bool WaitingForPower { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (TenantClaims.TenantIdOf(User) is not { } tenant || await portal.ChooseAsync(tenant, AccountId, cancellationToken) is not { } account)
        {
            return NotFound();
        }

        var id = new AccountId(account.Id);
        var since = clock.GetUtcNow() - TimeSpan.FromDays(1);
        var latest = await db.PaymentOrders.AsNoTracking().Where(o => o.AccountId == id && o.CreatedAt >= since).OrderByDescending(o => o.Id).FirstOrDefaultAsync(cancellationToken);
        Order = latest is { Status: PaymentOrderStatus.Pending } ? await payments.QueryAsync(latest.OrderNo, cancellationToken) : latest;
        Dashboard = await portal.DashboardAsync(tenant, account.Id, cancellationToken);
        WaitingForPower = Order?.Status == PaymentOrderStatus.Paid && Dashboard?.Meters.Any(m => m.Relay == RelayReport.Open) == true;
        return Page();
    }
}
