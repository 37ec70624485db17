using Kilowallet.Server.Audit;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Cashier;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

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

        // A till serves one site; its report reads in that site's local time.
        var zone = await db.Sites.AsNoTracking().OrderBy(s => s.Id).Select(s => s.TimeZone).FirstOrDefaultAsync(cancellationToken);
        Zone = zone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone);
        Report = report;
        return Page();
    }
}
