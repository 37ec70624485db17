namespace Kilowallet.Simulator.Meters;

/// <summary>
/// A meter's cumulative forward active energy, exact to the milliwatt-hour, per TOU band. The total is the sum of
/// the bands by construction. Sub-milliwatt-hour remainders stay inside the meter (nothing is lost, only not shown).
/// </summary>
public readonly record struct MeterEnergy(long SharpMilliwattHours, long PeakMilliwattHours, long FlatMilliwattHours, long ValleyMilliwattHours)
{
    public long TotalMilliwattHours => checked(SharpMilliwattHours + PeakMilliwattHours + FlatMilliwattHours + ValleyMilliwattHours);

    /// <summary>Exact total in kWh (milliwatt-hour precision).</summary>
    public decimal TotalKwh => TotalMilliwattHours / 1_000_000m;

    public long this[TouBand band] => band switch
    {
        TouBand.Sharp => SharpMilliwattHours,
        TouBand.Peak => PeakMilliwattHours,
        TouBand.Flat => FlatMilliwattHours,
        TouBand.Valley => ValleyMilliwattHours,
        _ => throw new ArgumentOutOfRangeException(nameof(band), band, "Unknown TOU band."),
    };

    /// <summary>What the meter's registers show: each value truncated to the resolution and rolled over at the capacity.</summary>
    public EnergyRegisters ToRegisters(decimal resolutionKwh, decimal capacityKwh) =>
        new(Register(TotalMilliwattHours, resolutionKwh, capacityKwh),
            Register(SharpMilliwattHours, resolutionKwh, capacityKwh),
            Register(PeakMilliwattHours, resolutionKwh, capacityKwh),
            Register(FlatMilliwattHours, resolutionKwh, capacityKwh),
            Register(ValleyMilliwattHours, resolutionKwh, capacityKwh));

    public static MeterEnergy operator -(MeterEnergy a, MeterEnergy b) =>
        new(a.SharpMilliwattHours - b.SharpMilliwattHours, a.PeakMilliwattHours - b.PeakMilliwattHours,
            a.FlatMilliwattHours - b.FlatMilliwattHours, a.ValleyMilliwattHours - b.ValleyMilliwattHours);

    private static decimal Register(long milliwattHours, decimal resolutionKwh, decimal capacityKwh)
    {
        var kwh = (milliwattHours / 1_000_000m) % capacityKwh;
        return decimal.Floor(kwh / resolutionKwh) * resolutionKwh;
    }
}
