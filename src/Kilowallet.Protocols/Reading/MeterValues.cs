using Kilowallet.Protocols.Profiles;

namespace Kilowallet.Protocols.Reading;

/// <summary>
/// The one place where raw meter values become quantities: scale, plausibility, and the rounding of energy
/// to 0.001 kWh (whole watt-hours) at the protocol edge.
/// </summary>
public static class MeterValues
{
    /// <summary>Energy is kept to the watt-hour: 0.001 kWh, midpoints to even.</summary>
    public static decimal RoundEnergy(decimal kwh) => decimal.Round(kwh, 3, MidpointRounding.ToEven);

    /// <summary>Scales a raw value; null with <paramref name="reason"/> when it is not a plausible reading.</summary>
    public static decimal? Accept(MeterQuantity quantity, double raw, decimal scale, out string? reason)
    {
        reason = null;
        if (double.IsNaN(raw) || double.IsInfinity(raw))
        {
            reason = $"not a finite number ({raw})";
            return null;
        }

        if (Math.Abs(raw) >= 7.9e27)
        {
            reason = $"out of range ({raw})";
            return null;
        }

        return Accept(quantity, (decimal)raw, scale, out reason);
    }

    public static decimal? Accept(MeterQuantity quantity, decimal raw, decimal scale, out string? reason)
    {
        reason = null;
        decimal value;
        try
        {
            value = raw * scale;
        }
        catch (OverflowException)
        {
            reason = "out of range";
            return null;
        }

        if (MeterQuantities.IsEnergy(quantity))
        {
            if (value < 0)
            {
                reason = $"negative energy ({value} kWh)";
                return null;
            }

            return RoundEnergy(value);
        }

        switch (quantity)
        {
            case MeterQuantity.PowerFactor or MeterQuantity.PowerFactorA or MeterQuantity.PowerFactorB or MeterQuantity.PowerFactorC when Math.Abs(value) > 1.001m:
                reason = $"power factor {value} outside -1..1";
                return null;
            case MeterQuantity.VoltageA or MeterQuantity.VoltageB or MeterQuantity.VoltageC when value is < 0 or > 100_000:
                reason = $"implausible voltage {value} V";
                return null;
            case MeterQuantity.Frequency when value is < 0 or > 100:
                reason = $"implausible frequency {value} Hz";
                return null;
            case MeterQuantity.AlarmFlags when value < 0 || value != decimal.Truncate(value):
                reason = $"alarm flags {value} are not a whole number";
                return null;
            default:
                return value;
        }
    }
}
