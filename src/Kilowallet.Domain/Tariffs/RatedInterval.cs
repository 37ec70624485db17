namespace Kilowallet.Domain.Tariffs;

/// <summary>An interval's outcome with its own list of slices (the allocating convenience form of <see cref="TariffRater.Rate(in RatingRequest, RatingPolicy, RatedSliceBuffer)"/>).</summary>
public sealed record RatedInterval(RatingResult Result, IReadOnlyList<RatedSlice> Slices)
{
    public RatingOutcome Outcome => Result.Outcome;

    public long EnergyWh => Slices.Sum(s => s.EnergyWh);

    public Money Amount => new(Slices.Sum(s => s.Amount.Amount));
}
