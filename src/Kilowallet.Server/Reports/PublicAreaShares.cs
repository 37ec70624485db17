using System.Data.Common;
using Kilowallet.Domain;
using Kilowallet.Server.Accounts;
using Kilowallet.Server.Metering;

namespace Kilowallet.Server.Reports;

/// <summary>
/// Public-area electricity of a period (every public-area meter of the site: lighting, escalators,
/// central air conditioning …) apportioned to the site's tenant accounts, for information on reports
/// and statements. The cost C is the exact rated cost rounded to the fen (half away from zero); each
/// account's weight is its let floor area (the shops its meters supply) or its metered use in the
/// period; shares are C × weight ÷ Σweights in whole fen by the largest-remainder method, so they add
/// up to exactly C. (Weights use today's meter-to-account assignment.)
/// </summary>
public sealed record PublicAreaShares(
    ApportionmentBasis Basis, long PublicEnergyWh, Money PublicCost, long PublicCostMinor, decimal TotalWeight, IReadOnlyList<Apportionment.Share> Shares)
{
    public Apportionment.Share? For(long account) => Shares.FirstOrDefault(s => s.Key == account);

    public static async Task<PublicAreaShares> ComputeAsync(DbConnection connection, SiteFacts site, ReportPeriod period, ApportionmentBasis basis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(period);
        var (from, to) = period.Instants(site.Zone);
        var publicRows = await UsageReader.ReadAsync(connection, new UsageQuery(site.Id, from, to, site.Zone) { Key = UsageKey.Site, ByBand = false, MeterIds = [.. site.Meters.Values.Where(m => m.Purpose == MeterPurpose.PublicArea).Select(m => m.Id)] }, cancellationToken);
        var energy = publicRows.Sum(r => r.EnergyWh);
        var cost = new Money(publicRows.Sum(r => r.Amount.Amount));
        var costMinor = MoneyRounding.ForDisplay(cost).ToMinorUnits();
        var tenantMeters = site.Meters.Values.Where(m => m.Purpose == MeterPurpose.Tenant && m.AccountId is not null).ToLookup(m => m.AccountId!.Value);
        var accounts = site.Accounts.Values
            .Where(a => a.Status == AccountStatus.Open && tenantMeters.Contains(a.Id))
            .OrderBy(a => a.Id)
            .ToList();
        List<(long Key, decimal Weight)> weights;
        if (basis == ApportionmentBasis.FloorArea)
        {
            weights = accounts.ConvertAll(a => (a.Id, tenantMeters[a.Id]
                .Where(m => m.ShopId is not null)
                .Select(m => m.ShopId!.Value).Distinct()
                .Sum(shop => site.Shops.TryGetValue(shop, out var s) ? s.FloorAreaM2 : 0m)));
        }
        else
        {
            var used = (await UsageReader.ReadAsync(connection, new UsageQuery(site.Id, from, to, site.Zone) { Key = UsageKey.Account, ByBand = false, Purposes = [MeterPurpose.Tenant] }, cancellationToken))
                .GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.EnergyWh) / 1000m);
            weights = accounts.ConvertAll(a => (a.Id, used.GetValueOrDefault(a.Id)));
        }

        var shares = Apportionment.LargestRemainder(costMinor, weights);
        return new PublicAreaShares(basis, energy, cost, costMinor, weights.Sum(w => w.Weight), shares);
    }
}
