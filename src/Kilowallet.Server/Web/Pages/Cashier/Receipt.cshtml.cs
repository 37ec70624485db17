using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Cashier;

/// <summary>A printable receipt of a top-up taken at the till (or of its reversal), from the ledger entry itself.</summary>
public sealed class ReceiptModel(KilowalletDb db) : PageModel
{
    public LedgerEntry Entry { get; private set; } = null!;

    public string SiteName { get; private set; } = string.Empty;

    public string TimeZone { get; private set; } = string.Empty;

    public string CurrencySymbol { get; private set; } = "¥";

    public DateTime LocalTime { get; private set; }

    public string AccountNumber { get; private set; } = string.Empty;

    public string TenantName { get; private set; } = string.Empty;

    public IReadOnlyList<string> Shops { get; private set; } = [];

    public long? ReversedBy { get; private set; }

    public async Task<IActionResult> OnGetAsync(long entryId, CancellationToken cancellationToken)
    {
        var entry = await db.LedgerEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId, cancellationToken);
        if (entry is not { AccountId: { } accountId } || entry.Kind is not (PostingKind.TopUp or PostingKind.Reversal))
        {
            return NotFound();
        }

        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accountId, cancellationToken);
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == account.TenantId, cancellationToken);
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == account.SiteId, cancellationToken);
        Shops = await (from m in db.Meters.AsNoTracking()
                       where m.AccountId == (AccountId?)accountId
                       join s in db.Shops on m.ShopId equals (ShopId?)s.Id
                       select s.UnitNumber + " " + s.Name).Distinct().ToListAsync(cancellationToken);
        Shops = [.. Shops.Order(StringComparer.Ordinal)];
        ReversedBy = await db.LedgerEntries.AsNoTracking().Where(e => e.ReversesEntryId == entryId).Select(e => (long?)e.Id).FirstOrDefaultAsync(cancellationToken);
        (Entry, SiteName, TimeZone, AccountNumber, TenantName) = (entry, site.Name, site.TimeZone, account.Number, tenant.Name);
        CurrencySymbol = CurrencySymbols.Of(site.Currency);
        LocalTime = TimeZoneInfo.ConvertTime(entry.At, TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone)).DateTime;
        return Page();
    }
}
