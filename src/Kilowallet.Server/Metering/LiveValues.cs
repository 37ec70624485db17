namespace Kilowallet.Server.Metering;

/// <summary>
/// Instantaneous values as the meter reports them (secondary side: multiply current, power by the CT
/// ratio and voltage by the PT ratio for the primary). Doubles: measurements, never money.
/// </summary>
public sealed record LiveValues(
    double? VoltageA,
    double? VoltageB,
    double? VoltageC,
    double? CurrentA,
    double? CurrentB,
    double? CurrentC,
    double? PowerA,
    double? PowerB,
    double? PowerC,
    double? PowerKw,
    double? PowerFactor,
    double? FrequencyHz)
{
    public static LiveValues Empty { get; } = new(null, null, null, null, null, null, null, null, null, null, null, null);
}
