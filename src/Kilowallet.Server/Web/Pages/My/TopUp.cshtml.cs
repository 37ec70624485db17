using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Payments;
using Kilowallet.Server.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Kilowallet.Server.Web.Pages.My;

/// <summary>
/// Online top-up. The page's script creates the order through POST /api/v1/accounts/{id}/payments and
/// follows its redirect to the provider; without scripts the form posts here and the same payment
/// service creates the order. The provider sends the payer back to /my/payment.
/// </summary>
[EnableRateLimiting(AuthServiceCollectionExtensions.PaymentRateLimit)]
public sealed class PortalTopUpModel(TenantPortal portal, PaymentService payments) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "account")]
    public long? AccountId { get; set; }

    public long Account { get; private set; }

    public string AccountNumber { get; private set; } = string.Empty;

    public string? Error { get; private set; }

    public string AccountQuery => AccountId is { } id ? "?account=" + id.ToString(CultureInfo.InvariantCulture) : string.Empty;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(decimal? amount, decimal? other, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        try
        {
            var started = await payments.CreateOrderAsync(new AccountId(Account), other ?? amount ?? 0m, DemoPayProvider.ProviderCode, AuditLog.ActorOf(User),
                "/my/payment?account=" + Account.ToString(CultureInfo.InvariantCulture), cancellationToken);
            return Redirect(started.RedirectUrl);
        }
        catch (MoneyOperationException ex)
        {
            Error = ex.Message;
            return Page();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (TenantClaims.TenantIdOf(User) is not { } tenant || await portal.ChooseAsync(tenant, AccountId, cancellationToken) is not { } account)
        {
            return false;
        }

        Account = account.Id;
        AccountNumber = account.Number;
        return true;
    }
}
