using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Reading;

/// <summary>
/// One reading of a meter, decoded by its profile. Values are the meter's own (CT/PT ratios are applied by
/// the caller). Energy is decimal kWh rounded to 0.001; live values are doubles. A quantity without a value
/// has an entry in <see cref="Errors"/> (or was not in the profile).
/// </summary>
public sealed record MeterSnapshot
{
    public required string Profile { get; init; }

    public required DateTimeOffset ReadAt { get; init; }

    public required IReadOnlyDictionary<MeterQuantity, decimal> Values { get; init; }

    public RelayState Relay { get; init; }

    public IReadOnlyList<QuantityError> Errors { get; init; } = [];

    public IReadOnlyList<RawBlock> Raw { get; init; } = [];

    /// <summary>Set when the meter did not answer at all (timeout, connection): the acquisition layer marks it offline.</summary>
    public ExchangeStatus? LinkFailure { get; init; }

    public string? LinkFailureDetail { get; init; }

    public bool IsComplete => Errors.Count == 0 && LinkFailure is null;

    public decimal? EnergyTotalKwh => Energy(MeterQuantity.EnergyTotal);

    public decimal? EnergySharpKwh => Energy(MeterQuantity.EnergySharp);

    public decimal? EnergyPeakKwh => Energy(MeterQuantity.EnergyPeak);

    public decimal? EnergyFlatKwh => Energy(MeterQuantity.EnergyFlat);

    public decimal? EnergyValleyKwh => Energy(MeterQuantity.EnergyValley);

    public double? VoltageA => Live(MeterQuantity.VoltageA);

    public double? VoltageB => Live(MeterQuantity.VoltageB);

    public double? VoltageC => Live(MeterQuantity.VoltageC);

    public double? CurrentA => Live(MeterQuantity.CurrentA);

    public double? CurrentB => Live(MeterQuantity.CurrentB);

    public double? CurrentC => Live(MeterQuantity.CurrentC);

    public double? PowerTotalKw => Live(MeterQuantity.PowerTotal);

    public double? PowerAKw => Live(MeterQuantity.PowerA);

    public double? PowerBKw => Live(MeterQuantity.PowerB);

    public double? PowerCKw => Live(MeterQuantity.PowerC);

    public double? PowerFactor => Live(MeterQuantity.PowerFactor);

    public double? PowerFactorA => Live(MeterQuantity.PowerFactorA);

    public double? PowerFactorB => Live(MeterQuantity.PowerFactorB);

    public double? PowerFactorC => Live(MeterQuantity.PowerFactorC);

    public double? FrequencyHz => Live(MeterQuantity.Frequency);

    public uint? AlarmFlags => Values.TryGetValue(MeterQuantity.AlarmFlags, out var v) ? (uint)v : null;

    private decimal? Energy(MeterQuantity quantity) => Values.TryGetValue(quantity, out var v) ? v : null;

    private double? Live(MeterQuantity quantity) => Values.TryGetValue(quantity, out var v) ? (double)v : null;
}
