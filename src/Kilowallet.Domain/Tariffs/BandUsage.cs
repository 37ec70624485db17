namespace Kilowallet.Domain.Tariffs;

/// <summary>Energy and exact cost in one band.</summary>
public readonly record struct BandUsage(TariffBand Band, long EnergyWh, Money Amount);
