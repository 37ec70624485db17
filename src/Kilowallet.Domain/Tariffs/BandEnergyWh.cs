namespace Kilowallet.Domain.Tariffs;

/// <summary>Energy per band in whole watt-hours: an interval's deltas of a meter's own TOU registers.</summary>
public readonly record struct BandEnergyWh(long Sharp, long Peak, long Flat, long Valley)
{
    public long this[TariffBand band] => band switch
    {
        TariffBand.Sharp => Sharp,
        TariffBand.Peak => Peak,
        TariffBand.Flat => Flat,
        TariffBand.Valley => Valley,
        _ => throw new ArgumentOutOfRangeException(nameof(band), band, null),
    };

    public long Total => checked(Sharp + Peak + Flat + Valley);

    public bool AnyNegative => Sharp < 0 || Peak < 0 || Flat < 0 || Valley < 0;

    public static BandEnergyWh operator -(BandEnergyWh left, BandEnergyWh right) =>
        new(left.Sharp - right.Sharp, left.Peak - right.Peak, left.Flat - right.Flat, left.Valley - right.Valley);

    public static BandEnergyWh Subtract(BandEnergyWh left, BandEnergyWh right) => left - right;
}
