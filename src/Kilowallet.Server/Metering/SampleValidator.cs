using System.Globalization;

namespace Kilowallet.Server.Metering;

/// <summary>
/// Refuses readings no meter can produce — NaN, negative energy, a band register above the total,
/// 10 kV on a meter, a frequency of 0 Hz with voltage present — so they are never stored as truth or
/// billed. Limits are on the meter's own (secondary-side) values.
/// </summary>
public static class SampleValidator
{
    public const double MaxVolts = 1_000;
    public const double MaxAmps = 2_000;
    public static readonly TimeSpan MaxClockLead = TimeSpan.FromMinutes(10);

    private const double MaxKw = MaxVolts * MaxAmps * 3 / 1000;

    /// <summary>Null when plausible, else the reason.</summary>
    public static string? Problem(MeterSample sample, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.At > now + MaxClockLead)
        {
            return string.Create(CultureInfo.InvariantCulture, $"timestamp {sample.At:O} is ahead of the server clock ({now:O})");
        }

        if (sample.EnergyWh is < 0)
        {
            return $"negative energy register ({sample.EnergyWh} Wh)";
        }

        if (sample.BandsWh is { } bands && (bands.AnyNegative || (sample.EnergyWh is { } total && bands.Total > total + 1_000)))
        {
            return "band registers negative or above the total";
        }

        var live = sample.Live;
        var problem = Outside("voltage A", live.VoltageA, 0, MaxVolts) ?? Outside("voltage B", live.VoltageB, 0, MaxVolts) ?? Outside("voltage C", live.VoltageC, 0, MaxVolts)
            ?? Outside("current A", live.CurrentA, -MaxAmps, MaxAmps) ?? Outside("current B", live.CurrentB, -MaxAmps, MaxAmps) ?? Outside("current C", live.CurrentC, -MaxAmps, MaxAmps)
            ?? Outside("power", live.PowerKw, -MaxKw, MaxKw) ?? Outside("power factor", live.PowerFactor, -1.05, 1.05) ?? Outside("frequency", live.FrequencyHz, 0, 70);
        if (problem is not null)
        {
            return problem;
        }

        if (live.FrequencyHz is { } f && f < 40 && (live.VoltageA ?? 0) > 50)
        {
            return string.Create(CultureInfo.InvariantCulture, $"frequency {f} Hz with voltage present");
        }

        return null;
    }

    private static string? Outside(string name, double? value, double min, double max) =>
        value is { } v && (double.IsNaN(v) || double.IsInfinity(v) || v < min || v > max)
            ? string.Create(CultureInfo.InvariantCulture, $"{name} {v} is outside what a meter can measure ({min}…{max})")
            : null;
}
