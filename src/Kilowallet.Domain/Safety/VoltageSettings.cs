namespace Kilowallet.Domain.Safety;

/// <summary>Voltage supervision limits, as fractions of the nominal phase voltage.</summary>
public sealed record VoltageSettings
{
    public double NominalV { get; init; } = 230;

    /// <summary>Over-voltage above nominal × (1 + this).</summary>
    public double OverFraction { get; init; } = 0.10;

    /// <summary>Under-voltage below nominal × (1 − this).</summary>
    public double UnderFraction { get; init; } = 0.10;

    /// <summary>An alarm clears only once the voltage is this much further inside the limit (hysteresis).</summary>
    public double ClearMarginFraction { get; init; } = 0.02;

    /// <summary>A phase below this is lost (open conductor, blown fuse) rather than low.</summary>
    public double PhaseLossBelowV { get; init; } = 50;

    public TimeSpan RaiseAfter { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ClearAfter { get; init; } = TimeSpan.FromSeconds(30);

    internal double OverV => NominalV * (1 + OverFraction);

    internal double OverClearV => NominalV * (1 + OverFraction - ClearMarginFraction);

    internal double UnderV => NominalV * (1 - UnderFraction);

    internal double UnderClearV => NominalV * (1 - UnderFraction + ClearMarginFraction);
}
