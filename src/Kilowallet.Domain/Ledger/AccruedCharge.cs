namespace Kilowallet.Domain.Ledger;

/// <summary>
/// The exact (full-precision) cost of energy a meter used in one tariff band during one hour.
/// <paramref name="HourStart"/> is the start of a whole UTC hour (see <see cref="ChargePosting.HourContaining"/>).
/// </summary>
public readonly record struct AccruedCharge(MeterId Meter, RevenueBand Band, DateTimeOffset HourStart, Money Exact);
