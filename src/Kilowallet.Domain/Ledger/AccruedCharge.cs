namespace Kilowallet.Domain.Ledger;

/// <summary>
/// The exact (full-precision) cost of energy a meter used in one tariff band during one hour.
/// <paramref name="HourStart"/> is the start of a whole UTC hour (see <see cref="ChargePosting.HourContaining"/>).
/// <paramref name="Part"/> is 0 for the bucket's first posting; a bucket that receives more energy
/// after it was posted (a meter back from offline, its gap spread over past hours) is posted again as
/// part 1, 2, … so each posting keeps a unique key.
/// </summary>
public readonly record struct AccruedCharge(MeterId Meter, RevenueBand Band, DateTimeOffset HourStart, Money Exact, int Part = 0);
