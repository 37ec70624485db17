namespace Kilowallet.Simulator.Load;

/// <summary>Total active and reactive power of a load during one piece of simulated time.</summary>
/// <param name="Milliwatts">Active power, whole milliwatts (integrated exactly into energy).</param>
/// <param name="ReactiveMillivars">Reactive power, millivars (only for the power factor).</param>
public readonly record struct LoadSample(long Milliwatts, double ReactiveMillivars)
{
    public static LoadSample Zero => default;

    /// <summary>P / S; 1 when there is no load.</summary>
    public double PowerFactor => Milliwatts <= 0 && ReactiveMillivars <= 0
        ? 1.0
        : Milliwatts / Math.Sqrt(((double)Milliwatts * Milliwatts) + (ReactiveMillivars * ReactiveMillivars));

    /// <summary>A load of <paramref name="milliwatts"/> at power factor <paramref name="powerFactor"/>.</summary>
    public static LoadSample AtPowerFactor(long milliwatts, double powerFactor) =>
        new(milliwatts, milliwatts * Math.Tan(Math.Acos(powerFactor)));

    public static LoadSample operator +(LoadSample a, LoadSample b) =>
        new(checked(a.Milliwatts + b.Milliwatts), a.ReactiveMillivars + b.ReactiveMillivars);
}
