namespace Kilowallet.Domain.Tariffs;

/// <summary>The four Chinese time-of-use bands: sharp 尖, peak 峰, flat 平, valley 谷.</summary>
public enum TariffBand
{
    Sharp = 0,
    Peak = 1,
    Flat = 2,
    Valley = 3,
}
