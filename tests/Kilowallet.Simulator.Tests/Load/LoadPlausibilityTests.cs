using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;
using Kilowallet.Simulator.Tests.Infrastructure;

namespace Kilowallet.Simulator.Tests.Load;

public sealed class LoadPlausibilityTests
{
    /// <summary>Power of a meter at a local time on the spring Tuesday (ct 1 unless given).</summary>
    private static double PowerAt(MeterDefinition meter, double localHour, DateTimeOffset? day = null)
    {
        var sim = TestSim.At(day ?? TestSim.SpringTuesday, meter);
        sim.AdvanceTo((day ?? TestSim.SpringTuesday).AddHours(localHour));
        return sim["M1"].Read().ActivePowerKw * (double)meter.CtRatio;
    }

    private static MeterDefinition Supermarket => TestSim.Meter(kind: "kpm37", format: LoadFormat.Supermarket, area: 2400, limitKw: 250, ct: 40);

    [Fact]
    public void A_supermarkets_base_load_at_3am_is_more_than_a_quarter_of_its_midday_load()
    {
        var night = PowerAt(Supermarket, 3);
        var midday = PowerAt(Supermarket, 12.5);
        Assert.True(night > 0.25 * midday, $"night {night:0.0} kW, midday {midday:0.0} kW");
        Assert.True(night < 0.6 * midday, $"night {night:0.0} kW, midday {midday:0.0} kW");
    }

    [Fact]
    public void A_2400_m2_supermarket_peaks_at_150_to_250_kW_in_summer()
    {
        var summerPeak = Enumerable.Range(0, 24 * 4).Select(q => PowerAt(Supermarket, q / 4.0, TestSim.SummerWednesday)).Max();
        Assert.InRange(summerPeak, 150, 250);
    }

    [Fact]
    public void A_50_m2_boutique_peaks_at_3_to_6_kW()
    {
        var boutique = TestSim.Meter(format: LoadFormat.Apparel, area: 50, limitKw: 10);
        var peak = Enumerable.Range(0, 24 * 4).Select(q => PowerAt(boutique, q / 4.0, TestSim.SummerWednesday)).Max();
        Assert.InRange(peak, 3, 6);
    }

    [Fact]
    public void Apparel_is_near_zero_at_3am()
    {
        var boutique = TestSim.Meter(format: LoadFormat.Apparel, area: 80);
        var night = PowerAt(boutique, 3);
        var open = PowerAt(boutique, 15);
        Assert.True(night < 0.05 * open, $"night {night:0.000} kW, afternoon {open:0.000} kW");
        Assert.True(night > 0, "a little standby stays on");
    }

    [Fact]
    public void A_restaurants_lunch_peak_is_above_mid_afternoon()
    {
        var restaurant = TestSim.Meter(format: LoadFormat.Restaurant, area: 50, limitKw: 15);
        Assert.True(PowerAt(restaurant, 12.25) > 1.4 * PowerAt(restaurant, 15.75));
        Assert.True(PowerAt(restaurant, 19) > 1.4 * PowerAt(restaurant, 15.75));
    }

    [Fact]
    public void Weekends_are_busier_for_a_cinema()
    {
        var cinema = TestSim.Meter(kind: "kpm37", format: LoadFormat.Cinema, area: 1800, limitKw: 150, ct: 40);
        var saturday = TestSim.SpringTuesday.AddDays(4);
        Assert.Equal(DayOfWeek.Saturday, TimeZoneInfo.ConvertTime(saturday, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DayOfWeek);
        Assert.True(PowerAt(cinema, 20.5, saturday) > 1.15 * PowerAt(cinema, 20.5));
    }

    [Fact]
    public void Central_air_conditioning_is_heavy_in_summer_moderate_in_winter_and_low_in_spring()
    {
        var hvac = TestSim.Meter(kind: "sdm630", format: LoadFormat.CentralAirConditioning, area: 0, limitKw: 400, ct: 80);
        var summer = PowerAt(hvac, 14.5, TestSim.SummerWednesday);
        var winter = PowerAt(hvac, 14.5, new DateTimeOffset(2026, 1, 14, 0, 0, 0, TimeSpan.FromHours(8)));
        var spring = PowerAt(hvac, 14.5);
        Assert.True(summer > 1.5 * winter && winter > 1.5 * spring, $"summer {summer:0}, winter {winter:0}, spring {spring:0} kW");
    }

    [Fact]
    public void Public_lighting_keeps_security_lighting_at_night()
    {
        var lighting = TestSim.Meter(kind: "dtsu666", format: LoadFormat.PublicLighting, area: 0, limitKw: 40);
        var night = PowerAt(lighting, 3);
        var open = PowerAt(lighting, 15);
        Assert.InRange(night / open, 0.1, 0.25);
    }

    [Theory]
    [InlineData("kpm31", LoadFormat.Restaurant)]
    [InlineData("kpm33", LoadFormat.Restaurant)]
    [InlineData("sdm630", LoadFormat.EscalatorsAndLifts)]
    [InlineData("dtsu666", LoadFormat.PublicLighting)]
    public void Per_phase_P_equals_V_times_I_times_PF_and_the_total_is_the_sum_of_the_phases(string kind, LoadFormat format)
    {
        var sim = TestSim.Of(TestSim.Meter(kind: kind, format: format, area: 100, limitKw: 60));
        sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.MaliciousLoad(2));
        for (var hour = 0; hour < 24; hour += 2)
        {
            sim.Advance(TimeSpan.FromHours(2));
            var r = sim["M1"].Read();
            Assert.Equal(MeterKinds.Find(kind).Phases, r.Phases.Count);
            Assert.Equal(r.ActivePowerKw, r.Phases.Sum(p => p.ActivePowerKw), 9);
            foreach (var p in r.Phases)
            {
                Assert.Equal(p.ActivePowerKw, p.VoltageV * p.CurrentA * p.PowerFactor / 1000.0, 9);
                Assert.InRange(p.PowerFactor, 0.78, 1.0);
                Assert.InRange(p.VoltageV, 220, 240);
            }

            Assert.InRange(r.FrequencyHz, 49.9, 50.1);
        }
    }

    [Fact]
    public void Power_factor_follows_the_load_type()
    {
        var lighting = TestSim.Meter(kind: "dtsu666", format: LoadFormat.PublicLighting, area: 0, limitKw: 40);
        var lifts = TestSim.Meter(kind: "dtsu666", format: LoadFormat.EscalatorsAndLifts, area: 0, limitKw: 120, ct: 40);
        var sim = TestSim.Of(lighting, lifts with { Serial = "M2", UnitId = 2 });
        sim.AdvanceTo(TestSim.SpringTuesday.AddHours(15));
        Assert.InRange(sim["M1"].Read().PowerFactor, 0.93, 0.96);
        Assert.InRange(sim["M2"].Read().PowerFactor, 0.79, 0.84);
    }

    [Fact]
    public void The_same_seed_gives_the_same_load_and_another_seed_a_different_one()
    {
        var calendar = MallCalendar.Default;
        var profile = FormatProfiles.For(LoadFormat.Services);
        var a = new LoadModel(profile, 5000, 9500, 1, calendar);
        var b = new LoadModel(profile, 5000, 9500, 1, calendar);
        var c = new LoadModel(profile, 5000, 9500, 2, calendar);
        var noon = TestSim.SpringTuesday.AddHours(12).UtcTicks;
        Assert.Equal(a.Sample(noon), b.Sample(noon));
        Assert.NotEqual(a.Sample(noon), c.Sample(noon));
    }
}
