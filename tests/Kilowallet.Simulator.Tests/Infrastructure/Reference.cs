using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator.Tests.Infrastructure;

/// <summary>Independent reference calculations the tests compare the meters with.</summary>
internal static class Reference
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Fine numerical integration of a meter's load (relay closed, no faults), in mWh, optionally split by band on a clock shifted by <paramref name="drift"/>.</summary>
    public static (double TotalMwh, double[] BandMwh) Integrate(VirtualMeter meter, DateTimeOffset from, DateTimeOffset to, TimeSpan step, TimeSpan drift = default)
    {
        var bands = new double[4];
        double total = 0;
        for (var t = from; t < to; t += step)
        {
            var end = t + step < to ? t + step : to;
            var milliwatts = meter.LoadSource.Sample(t.UtcTicks).Milliwatts;
            var mwh = milliwatts * (end - t).TotalHours;
            total += mwh;
            bands[(int)DefaultBand(t + drift)] += mwh;
        }

        return (total, bands);
    }

    /// <summary>The default Chinese commercial table, written out independently of TouTable.</summary>
    public static TouBand DefaultBand(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Shanghai);
        var h = local.TimeOfDay.TotalHours;
        var summer = local.Month is 7 or 8;
        return h switch
        {
            < 7 => TouBand.Valley,
            < 10 => TouBand.Flat,
            < 13 => TouBand.Peak,
            < 15 => summer ? TouBand.Sharp : TouBand.Peak,
            < 18 => TouBand.Flat,
            < 21 => TouBand.Peak,
            < 23 => TouBand.Flat,
            _ => TouBand.Valley,
        };
    }
}
