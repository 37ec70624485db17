using System.Globalization;

namespace Kilowallet.Domain;

/// <summary>
/// An amount of active energy in kWh. Exact decimal. The database stores it as whole watt-hours;
/// register values are rounded to watt-hours once, at the protocol edge.
/// </summary>
public readonly record struct EnergyKwh(decimal Kwh) : IComparable<EnergyKwh>
{
    public const int WattHoursPerKwh = 1000;

    public static EnergyKwh Zero => default;

    public static EnergyKwh FromWattHours(long wattHours) => new(wattHours / (decimal)WattHoursPerKwh);

    /// <summary>The energy in whole watt-hours; throws if it is not a whole number of them.</summary>
    public long ToWattHours()
    {
        var scaled = Kwh * WattHoursPerKwh;
        if (scaled != decimal.Truncate(scaled))
        {
            throw new InvalidOperationException($"{Kwh} kWh is not a whole number of watt-hours.");
        }

        return decimal.ToInt64(scaled);
    }

    public static EnergyKwh operator +(EnergyKwh left, EnergyKwh right) => new(left.Kwh + right.Kwh);

    public static EnergyKwh operator -(EnergyKwh left, EnergyKwh right) => new(left.Kwh - right.Kwh);

    public static EnergyKwh operator *(EnergyKwh left, decimal factor) => new(left.Kwh * factor);

    public static bool operator <(EnergyKwh left, EnergyKwh right) => left.Kwh < right.Kwh;

    public static bool operator >(EnergyKwh left, EnergyKwh right) => left.Kwh > right.Kwh;

    public static bool operator <=(EnergyKwh left, EnergyKwh right) => left.Kwh <= right.Kwh;

    public static bool operator >=(EnergyKwh left, EnergyKwh right) => left.Kwh >= right.Kwh;

    public int CompareTo(EnergyKwh other) => Kwh.CompareTo(other.Kwh);

    public static EnergyKwh Add(EnergyKwh left, EnergyKwh right) => left + right;

    public static EnergyKwh Subtract(EnergyKwh left, EnergyKwh right) => left - right;

    public static EnergyKwh Multiply(EnergyKwh left, decimal factor) => left * factor;

    public override string ToString() => Kwh.ToString("0.000", CultureInfo.InvariantCulture) + " kWh";
}
