using Kilowallet.Simulator.Clock;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;
using Microsoft.Extensions.Time.Testing;

namespace Kilowallet.Simulator.Tests.Infrastructure;

/// <summary>A simulated mall on a simulation clock driven by a fake time provider: time moves only when a test says so.</summary>
internal sealed class TestSim
{
    /// <summary>Tuesday 10 March 2026, 00:00 in Shanghai (a spring weekday).</summary>
    public static readonly DateTimeOffset SpringTuesday = new(2026, 3, 10, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Wednesday 15 July 2026, 00:00 in Shanghai (summer: the sharp band exists).</summary>
    public static readonly DateTimeOffset SummerWednesday = new(2026, 7, 15, 0, 0, 0, TimeSpan.FromHours(8));

    public TestSim(MallDefinition definition, DateTimeOffset start, double speed = 1)
    {
        Fake = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Clock = new SimulationClock(Fake, start, speed);
        Mall = SimulatedMall.Create(definition, Clock);
        Control = new SimulationControl(Mall, Clock);
    }

    public FakeTimeProvider Fake { get; }

    public SimulationClock Clock { get; }

    public SimulatedMall Mall { get; }

    public SimulationControl Control { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public VirtualMeter this[string serial] => Mall.FindSerial(serial)!;

    public static TestSim Of(params MeterDefinition[] meters) => new(Definition(meters), SpringTuesday);

    public static TestSim At(DateTimeOffset start, params MeterDefinition[] meters) => new(Definition(meters), start);

    public static MallDefinition Definition(params MeterDefinition[] meters) =>
        new("Test mall",
            [
                new GatewayDefinition("BUS", GatewayTransportKind.ModbusTcp),
                new GatewayDefinition("BUS2", GatewayTransportKind.ModbusTcp),
                new GatewayDefinition("645", GatewayTransportKind.Dlt645Tcp) { BaudRate = 2400 },
                new GatewayDefinition("4G", GatewayTransportKind.Mqtt),
            ],
            meters);

    /// <summary>A meter on the Modbus bus "BUS" (or the DL/T 645 bus for the dlt645 kind, or MQTT for kpm33/37).</summary>
    public static MeterDefinition Meter(string serial = "M1", string kind = "kpm31", LoadFormat format = LoadFormat.Apparel, int unit = 1,
        decimal area = 60, decimal limitKw = 10, decimal ct = 1, int seed = 7)
    {
        var k = MeterKinds.Find(kind);
        var (gateway, unitId, address) = kind switch
        {
            "dlt645" => ("645", (int?)null, (string?)unit.ToString("D12", System.Globalization.CultureInfo.InvariantCulture)),
            "kpm33" or "kpm37" => ("4G", null, null),
            _ => ("BUS", unit, null),
        };
        return new MeterDefinition(serial, kind, gateway, unitId, address, format, area, limitKw, ct, k.Phases, seed);
    }

    /// <summary>Moves simulated time forward (the fake real clock moves by span / speed).</summary>
    public void Advance(TimeSpan simulated) => Fake.Advance(Clock.ToReal(simulated));

    /// <summary>Moves simulated time to a local time of day on the start day (or later days).</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        var span = instant - Now;
        Assert.True(span >= TimeSpan.Zero, $"cannot go back to {instant:O}");
        Advance(span);
        Assert.Equal(instant.UtcTicks, Now.UtcTicks);
    }
}
