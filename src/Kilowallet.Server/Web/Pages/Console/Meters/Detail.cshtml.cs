using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Safety;
using Kilowallet.Server.Alarms;
using Kilowallet.Server.Api;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Console.Meters;

/// <summary>
/// One meter: live V/I/P/PF/f per phase (pushed while the page is open), relay with open/close
/// buttons, energy and cost by hour/day/month and band, command history, alarms.
/// </summary>
public sealed class DetailModel(KilowalletDb db, LiveStateStore live, AlarmQuery alarms, Text text) : PageModel
{
    public Meter Meter { get; private set; } = null!;

    public string? ShopLabel { get; private set; }

    public string? GatewayName { get; private set; }

    public (long Id, string Number, string Tenant)? Account { get; private set; }

    public MeterLiveState Live { get; private set; } = null!;

    public IReadOnlyList<AlarmQuery.AlarmView> Alarms { get; private set; } = [];

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public string ScriptTexts => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["reasonRequired"] = text["ReasonRequired"],
        ["relayClosed"] = text["RelayClosed"],
        ["relayOpen"] = text["RelayOpen"],
        ["relayUnknown"] = text["RelayUnknown"],
        ["online"] = text["LinkOnline"],
        ["offline"] = text["LinkOffline"],
        ["unknown"] = text["LinkUnknown"],
        ["sharp"] = text["BandSharp"],
        ["peak"] = text["BandPeak"],
        ["flat"] = text["BandFlat"],
        ["valley"] = text["BandValley"],
        ["locked"] = text["OperatorLock"],
        ["automatic"] = text["AutomaticControl"],
        ["noCommands"] = text["NoCommands"],
    });

    public async Task<IActionResult> OnGetAsync(long meterId, CancellationToken cancellationToken)
    {
        var id = new MeterId(meterId);
        var meter = await db.Meters.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meter is null)
        {
            return NotFound();
        }

        Meter = meter;
        if (meter.ShopId is { } shopId)
        {
            ShopLabel = await db.Shops.AsNoTracking().Where(s => s.Id == shopId).Select(s => s.UnitNumber + " " + s.Name).FirstOrDefaultAsync(cancellationToken);
        }

        if (meter.GatewayId is { } gatewayId)
        {
            GatewayName = await db.Gateways.AsNoTracking().Where(g => g.Id == gatewayId).Select(g => g.Name).FirstOrDefaultAsync(cancellationToken);
        }

        if (meter.AccountId is { } accountId)
        {
            var row = await (from a in db.Accounts.AsNoTracking()
                             where a.Id == accountId
                             join t in db.Tenants on a.TenantId equals t.Id
                             select new { a.Number, t.Name }).FirstAsync(cancellationToken);
            Account = (accountId.Value, row.Number, row.Name);
        }

        Live = live.Get(id);
        (Alarms, _) = await alarms.ListAsync(new AlarmQuery.Filter("all", SourceKind: AlarmSourceKind.Meter, SourceId: meterId), Paging.From(0, 20), cancellationToken);
        Zone = await Sites.SiteZones.FirstAsync(db, cancellationToken);
        return Page();
    }
}
