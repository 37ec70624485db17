using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Cashier;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kilowallet.Server.Web.Pages.Cashier;

/// <summary>A printable shift report: what the cashier hands over, by method. Cashiers see their own shifts, operators all.</summary>
public sealed class ShiftModel(CashierDesk desk, KilowalletDb db) : PageModel
{
    public CashierDesk.ShiftReport Report { get; private set; } = null!;

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task<IActionResult> OnGetAsync(long shiftId, CancellationToken cancellationToken)
    {
        var report = await desk.ReportAsync(shiftId, cancellationToken);
        if (report is null || (!Policies.CanOperate(User) && report.Cashier != AuditLog.ActorOf(User)))
        {
            return NotFound();
        }

        Zone = await Sites.SiteZones.FirstAsync(db, cancellationToken);
        Report = report;
        return Page();
    }
}
