using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;

namespace Kilowallet.Server.Metering;

/// <summary>
/// Rated usage of a meter in one UTC hour and one band, for the account that paid for it then:
/// energy and exact amount (pico units), the estimated part, and how much has been posted to the
/// ledger. It is both the hourly rollup behind charts and reports, and the accrual the charge
/// poster turns into ledger entries (a bucket's unposted part is posted when its hour has closed).
/// </summary>
public sealed class UsageBucket
{
    public MeterId MeterId { get; set; }

    public DateTimeOffset HourStart { get; set; }

    public TariffBand Band { get; set; }

    /// <summary>The paying account, or 0 for public-area and master meters.</summary>
    public long AccountKey { get; set; }

    public long EnergyWh { get; set; }

    public long AmountPico { get; set; }

    public long EstimatedWh { get; set; }

    public long PostedPico { get; set; }

    /// <summary>How many charge postings the bucket has had (late data adds parts).</summary>
    public int Parts { get; set; }
}
