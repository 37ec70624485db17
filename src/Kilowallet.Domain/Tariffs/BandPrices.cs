namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// The utility price per kWh of each band a version uses (null: the band is not used). Non-negative,
/// at most four decimals.
/// </summary>
public readonly record struct BandPrices(decimal? Sharp = null, decimal? Peak = null, decimal? Flat = null, decimal? Valley = null)
{
    public decimal? this[TariffBand band] => band switch
    {
        TariffBand.Sharp => Sharp,
        TariffBand.Peak => Peak,
        TariffBand.Flat => Flat,
        TariffBand.Valley => Valley,
        _ => null,
    };
}
