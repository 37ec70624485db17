using Kilowallet.Domain;
using Kilowallet.Server.Metering;

namespace Kilowallet.Server.Reports;

/// <summary>
/// A question to <see cref="UsageReader"/>: the usage of a site's meters in the half-open UTC range
/// [<see cref="From"/>, <see cref="To"/>), summed per <see cref="Key"/> and time bucket, per band or not.
/// </summary>
public sealed record UsageQuery(SiteId Site, DateTimeOffset From, DateTimeOffset To, TimeZoneInfo Zone)
{
    public UsageKey Key { get; init; } = UsageKey.Meter;

    public UsageBucketing Bucketing { get; init; } = UsageBucketing.None;

    public bool ByBand { get; init; } = true;

    /// <summary>Only meters of these purposes; null for all.</summary>
    public IReadOnlyCollection<MeterPurpose>? Purposes { get; init; }

    /// <summary>Only these meters (a few: public circuits, one shop); lets the database walk each meter's rows by its key.</summary>
    public IReadOnlyCollection<long>? MeterIds { get; init; }

    /// <summary>Only usage paid by this account.</summary>
    public AccountId? Account { get; init; }
}
