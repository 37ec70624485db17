using Kilowallet.Domain;
using Kilowallet.Domain.Safety;
using Kilowallet.Protocols.Transport;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Sites;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Web.Pages.Console;

/// <summary>
/// Commissioning: a site's gateways with their link status, the meters behind the chosen gateway
/// (or the MQTT meters) with a test read each, and forms to add gateways and meters. Changes and
/// test reads go through the REST API (/api/v1/gateways, /api/v1/meters, /api/v1/meters/{id}/test-read).
/// </summary>
public sealed class CommissioningModel(KilowalletDb db, AcquisitionService acquisition, LiveStateStore live, MeterDirectory directory) : PageModel
{
    /// <summary>The pseudo-gateway of meters reached without one (4G meters over MQTT).</summary>
    public const long Direct = 0;

    public sealed record GatewayRow(Gateway Gateway, LinkStatus? Link, WireStatistics? Statistics, int Meters);

    public sealed record MeterRow(long Id, string Serial, string Profile, int? UnitId, string? Address, string? Shop, MeterStatus Status, MeterPurpose Purpose, decimal CtRatio, decimal PtRatio, bool FeedsOwnGateway, LinkStatus Link, DateTimeOffset? LastHeardAt, string? LastFailure);

    public sealed record ProfileOption(string Name, string Label, string Family, int Phases);

    public IReadOnlyList<Site> Sites { get; private set; } = [];

    public Site? Site { get; private set; }

    public IReadOnlyList<GatewayRow> Gateways { get; private set; } = [];

    public int DirectMeters { get; private set; }

    /// <summary>The gateway whose meters are listed; <see cref="Direct"/> for the meters without one.</summary>
    public long? Selected { get; private set; }

    public IReadOnlyList<MeterRow> Meters { get; private set; } = [];

    public IReadOnlyList<ProfileOption> Profiles { get; private set; } = [];

    public IReadOnlyList<(long Id, string Label)> Shops { get; private set; } = [];

    /// <summary>Open accounts of the site, for a tenant meter's paying account.</summary>
    public IReadOnlyList<(long Id, string Label)> Accounts { get; private set; } = [];

    public async Task OnGetAsync(long? site, long? gateway, CancellationToken cancellationToken)
    {
        Sites = await db.Sites.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken);
        Site = Sites.FirstOrDefault(s => s.Id.Value == site) ?? (Sites.Count > 0 ? Sites[0] : null);
        if (Site is null)
        {
            return;
        }

        var siteId = Site.Id;
        var gateways = await db.Gateways.AsNoTracking().Where(g => g.SiteId == siteId).OrderBy(g => g.Name).ToListAsync(cancellationToken);
        var counts = await db.Meters.AsNoTracking().Where(m => m.SiteId == siteId && m.Status != MeterStatus.Decommissioned)
            .GroupBy(m => m.GatewayId).Select(g => new { Gateway = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var status = acquisition.GatewayStatus;
        var statistics = acquisition.GatewayStatistics;
        Gateways = [.. gateways.Select(g => new GatewayRow(
            g,
            status.TryGetValue(g.Id, out var link) ? link : null,
            statistics.GetValueOrDefault(g.Id),
            counts.FirstOrDefault(c => c.Gateway == g.Id)?.Count ?? 0))];
        DirectMeters = counts.FirstOrDefault(c => c.Gateway == null)?.Count ?? 0;
        Selected = gateway is { } chosen && (chosen == Direct || gateways.Any(g => g.Id.Value == chosen))
            ? chosen
            : gateways.Count > 0 ? gateways[0].Id.Value : DirectMeters > 0 ? Direct : null;
        if (Selected is { } selected)
        {
            await LoadMetersAsync(siteId, selected, cancellationToken);
        }

        Profiles = [.. directory.Profiles.Profiles.OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new ProfileOption(p.Name, $"{p.Name} · {p.Manufacturer} {p.Model}", p.Transport.ToString().ToLowerInvariant(), p.Phases))];
        Shops = [.. (await db.Shops.AsNoTracking().Where(s => s.SiteId == siteId).OrderBy(s => s.UnitNumber).Select(s => new { s.Id, s.UnitNumber, s.Name }).ToListAsync(cancellationToken))
            .Select(s => (s.Id.Value, s.UnitNumber + " · " + s.Name))];
        Accounts = [.. (await (from a in db.Accounts.AsNoTracking()
                               where a.SiteId == siteId && a.Status == AccountStatus.Open
                               join t in db.Tenants on a.TenantId equals t.Id
                               orderby a.Number
                               select new { a.Id, a.Number, t.Name }).ToListAsync(cancellationToken))
            .Select(a => (a.Id.Value, a.Number + " · " + a.Name))];
    }

    private async Task LoadMetersAsync(SiteId site, long gateway, CancellationToken cancellationToken)
    {
        GatewayId? key = gateway == Direct ? null : new GatewayId(gateway);
        var rows = await (from m in db.Meters.AsNoTracking()
                          where m.SiteId == site && m.GatewayId == key && m.Status != MeterStatus.Decommissioned
                          join s in db.Shops on m.ShopId equals s.Id into shops
                          from s in shops.DefaultIfEmpty()
                          orderby m.UnitId, m.Serial
                          select new { Meter = m, Unit = s == null ? null : s.UnitNumber, ShopName = s == null ? null : s.Name })
            .ToListAsync(cancellationToken);
        Meters = [.. rows.Select(r =>
        {
            var m = r.Meter;
            var state = live.Get(m.Id);
            return new MeterRow(
                m.Id.Value, m.Serial, m.ProfileName, m.UnitId, m.Dlt645Address ?? m.MqttClientId,
                r.Unit is null ? null : r.Unit + " · " + r.ShopName,
                m.Status, m.Purpose, m.CtRatio, m.PtRatio, m.FeedsOwnGateway, state.Link, state.LastHeardAt, state.LastFailure);
        })];
    }
}
