using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Server.Payments;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Pay;

/// <summary>The demo payment provider's own page: the payer confirms or declines, then returns to the merchant.</summary>
[AllowAnonymous]
public sealed class DemoModel(KilowalletDb db, IServiceProvider services) : PageModel
{
    public PaymentOrder? Order { get; private set; }

    public string Merchant { get; private set; } = string.Empty;

    public string Amount => Order is null ? string.Empty : Money.FromMinorUnits(Order.AmountMinor).Amount.ToString("0.00", CultureInfo.InvariantCulture) + " " + Order.Currency;

    public bool? Paid { get; private set; }

    public async Task<IActionResult> OnGetAsync(string orderNo, CancellationToken cancellationToken)
    {
        await LoadAsync(orderNo, cancellationToken);
        return Order is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string orderNo, string? decision, bool withholdCallback, CancellationToken cancellationToken)
    {
        if (services.GetService<DemoPayCashier>() is not { } cashier)
        {
            return NotFound();
        }

        var paid = decision == "pay";
        var transaction = await cashier.PayAsync(orderNo, paid, notifyMerchant: !withholdCallback, cancellationToken);
        if (transaction is null)
        {
            return NotFound();
        }

        await LoadAsync(orderNo, cancellationToken);
        Paid = paid;
        return Order?.ReturnPath is { } back && !withholdCallback ? LocalRedirect(back) : Page();
    }

    private async Task LoadAsync(string orderNo, CancellationToken cancellationToken)
    {
        Order = await db.PaymentOrders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderNo == orderNo && o.Provider == DemoPayProvider.ProviderCode, cancellationToken);
        if (Order is not null)
        {
            Merchant = await db.Accounts.Where(a => a.Id == Order.AccountId)
                .Select(a => db.Sites.Where(s => s.Id == a.SiteId).Select(s => s.Name).First())
                .SingleAsync(cancellationToken);
        }
    }
}
