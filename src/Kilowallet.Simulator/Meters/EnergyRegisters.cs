namespace Kilowallet.Simulator.Meters;

/// <summary>Energy registers as the meter shows them (kWh at its resolution, rolled over at its capacity).</summary>
public readonly record struct EnergyRegisters(decimal TotalKwh, decimal SharpKwh, decimal PeakKwh, decimal FlatKwh, decimal ValleyKwh)
{
    public decimal this[TouBand band] => band switch
    {
        TouBand.Sharp => SharpKwh,
        TouBand.Peak => PeakKwh,
        TouBand.Flat => FlatKwh,
        TouBand.Valley => ValleyKwh,
        _ => throw new ArgumentOutOfRangeException(nameof(band), band, "Unknown TOU band."),
    };
}
