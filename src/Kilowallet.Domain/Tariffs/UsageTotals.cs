namespace Kilowallet.Domain.Tariffs;

/// <summary>Energy and exact cost per band (always the four bands, in band order) and in total.</summary>
public sealed record UsageTotals(IReadOnlyList<BandUsage> Bands)
{
    public long EnergyWh => Bands.Sum(b => b.EnergyWh);

    public Money Amount => new(Bands.Sum(b => b.Amount.Amount));

    public BandUsage this[TariffBand band] => Bands[(int)band];
}
