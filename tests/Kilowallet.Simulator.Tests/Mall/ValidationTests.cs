using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Kilowallet.Simulator.Tests.Mall;

public sealed class ValidationTests
{
    private static string Refused(params MeterDefinition[] meters) =>
        Assert.Throws<ArgumentException>(() => SimulatedMall.Create(TestSim.Definition(meters), new FakeTimeProvider())).Message;

    [Fact]
    public void Unit_id_0_is_refused()
    {
        Assert.Contains("unit id 0 is outside 1–247", Refused(TestSim.Meter(unit: 0)), StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_id_above_247_is_refused()
    {
        Assert.Contains("unit id 248 is outside 1–247", Refused(TestSim.Meter(unit: 248)), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_meters_at_one_address_on_one_bus_are_refused()
    {
        var message = Refused(TestSim.Meter("A", unit: 5), TestSim.Meter("B", unit: 5));
        Assert.Contains("both at unit id 5 on gateway BUS", message, StringComparison.Ordinal);

        // The same unit id on another bus is fine.
        SimulatedMall.Create(TestSim.Definition(TestSim.Meter("A", unit: 5), TestSim.Meter("B", unit: 5) with { Gateway = "BUS2" }), new FakeTimeProvider());
    }

    [Fact]
    public void Two_DLT645_meters_at_one_address_are_refused()
    {
        var message = Refused(TestSim.Meter("A", kind: "dlt645", unit: 5), TestSim.Meter("B", kind: "dlt645", unit: 5));
        Assert.Contains("000000000005", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_kind_is_refused_naming_the_known_ones()
    {
        var message = Refused(TestSim.Meter() with { Kind = "acme9000" });
        Assert.Contains("Unknown meter kind 'acme9000'", message, StringComparison.Ordinal);
        Assert.Contains("kpm31", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_load_is_refused()
    {
        Assert.Contains("power limit", Refused(TestSim.Meter(limitKw: -3)), StringComparison.Ordinal);
        Assert.Contains("floor area", Refused(TestSim.Meter(area: -1)), StringComparison.Ordinal);
        var sim = TestSim.Of(TestSim.Meter());
        var e = Assert.Throws<ArgumentException>(() => sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.MaliciousLoad(-2)));
        Assert.Contains("malicious load", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => sim.Mall.Inject(EventTarget.Meter("M1"), SimulationEvent.Overload(-1)));
    }

    [Fact]
    public void Phases_must_match_the_kind()
    {
        Assert.Contains("a kpm31 meter has 1 phase(s), not 3", Refused(TestSim.Meter() with { Phases = 3 }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_modbus_meter_needs_a_unit_id_and_a_DLT645_meter_a_12_digit_address()
    {
        Assert.Contains("needs a unit id", Refused(TestSim.Meter() with { UnitId = null }), StringComparison.Ordinal);
        Assert.Contains("12 decimal digits", Refused(TestSim.Meter(kind: "dlt645") with { Dlt645Address = "12345" }), StringComparison.Ordinal);
        Assert.Contains("needs a 12-digit", Refused(TestSim.Meter(kind: "dlt645") with { Dlt645Address = null }), StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_serials_and_unknown_gateways_are_refused()
    {
        Assert.Contains("serial 'X'", Refused(TestSim.Meter("X", unit: 1), TestSim.Meter("X", unit: 2)), StringComparison.Ordinal);
        Assert.Contains("gateway 'NOWHERE'", Refused(TestSim.Meter() with { Gateway = "NOWHERE" }), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_time_zone_and_a_bad_baud_rate_are_refused()
    {
        var zone = Assert.Throws<ArgumentException>(() => SimulatedMall.Create(TestSim.Definition(TestSim.Meter()) with { TimeZone = "Mars/Olympus" }, new FakeTimeProvider()));
        Assert.Contains("Mars/Olympus", zone.Message, StringComparison.Ordinal);
        var definition = TestSim.Definition(TestSim.Meter());
        var baud = Assert.Throws<ArgumentException>(() => SimulatedMall.Create(definition with { Gateways = [new GatewayDefinition("BUS", GatewayTransportKind.ModbusTcp) { BaudRate = 0 }] }, new FakeTimeProvider()));
        Assert.Contains("baud rate", baud.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_event_targets_are_refused()
    {
        var sim = TestSim.Of(TestSim.Meter());
        Assert.Contains("unit id 9", Assert.Throws<ArgumentException>(() => sim.Mall.Inject(EventTarget.Unit("BUS", 9), SimulationEvent.Offline())).Message, StringComparison.Ordinal);
        Assert.Contains("with a relay", Assert.Throws<ArgumentException>(() => sim.Control.Inject("bypass:serial=M1") == default
            ? throw new InvalidOperationException()
            : TestSim.Of(TestSim.Meter(kind: "sdm120")).Control.Inject("bypass:serial=M1")).Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_second_master_incomer_is_refused()
    {
        var master = TestSim.Meter("MAIN", kind: "sdm630", format: LoadFormat.MasterIncomer, area: 0, limitKw: 1000, ct: 200);
        Assert.Contains("at most one master incomer", Refused(master, master with { Serial = "MAIN2", UnitId = 2 }), StringComparison.Ordinal);
    }
}
