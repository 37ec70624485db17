using Kilowallet.Simulator.Faults;

namespace Kilowallet.Simulator.Tests.Faults;

public sealed class EventSpecTests
{
    [Fact]
    public void A_malicious_load_on_a_unit_parses()
    {
        var (target, e) = EventSpec.Parse("malicious:unit=3,kw=2", "BUS-1");
        Assert.Equal(EventTarget.Unit("BUS-1", 3), target);
        Assert.Equal(EventKind.MaliciousLoad, e.Kind);
        Assert.Equal(2, e.Kilowatts);
        Assert.Null(e.Duration);
    }

    [Fact]
    public void Timing_phase_and_defaults_parse()
    {
        var (target, e) = EventSpec.Parse("phase-loss:serial=X1,phase=B,at=10m,for=1.5h");
        Assert.Equal(EventTarget.Meter("X1"), target);
        Assert.Equal(1, e.Phase);
        Assert.Equal(TimeSpan.FromMinutes(10), e.StartAfter);
        Assert.Equal(TimeSpan.FromMinutes(90), e.Duration);

        Assert.Equal(180, EventSpec.Parse("sag").Event.Volts);
        Assert.Equal(260, EventSpec.Parse("swell").Event.Volts);
        Assert.True(EventSpec.Parse("sag").Target.IsWholeMall);
        Assert.Equal(EventTarget.OfGateway("G"), EventSpec.Parse("gateway-offline", "G").Target);
        Assert.Equal(TimeSpan.FromSeconds(-600), EventSpec.Parse("drift:unit=1,s=-600", "G").Event.ClockOffset);
        Assert.Equal(EventTarget.Dlt645("000000030001"), EventSpec.Parse("reset:address=000000030001,kwh=5").Target);
    }

    [Theory]
    [InlineData("teleport:unit=1", "Unknown event")]
    [InlineData("malicious:unit=1", "needs kw=")]
    [InlineData("malicious:unit=1,kw=-2", "malicious load")]
    [InlineData("malicious:unit=0,kw=2", "unit id 0")]
    [InlineData("malicious:unit=248,kw=2", "unit id 248")]
    [InlineData("sag:v=abc", "v=abc")]
    [InlineData("crc:fraction=1.5", "fraction")]
    [InlineData("phase-loss:unit=1,phase=D", "phase=D")]
    [InlineData("offline:unit=1,colour=red", "unknown key")]
    [InlineData("offline:unit=1,for=0s", "duration")]
    public void Impossible_specs_are_refused_with_a_sentence_naming_the_setting(string spec, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => EventSpec.Parse(spec, "G"));
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
