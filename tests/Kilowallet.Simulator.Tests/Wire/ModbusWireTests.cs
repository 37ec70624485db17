using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;
using Kilowallet.Protocols.Transport;
using Kilowallet.Simulator.Tests.Infrastructure;
using Kilowallet.Simulator.Wire;
using RelayState = Kilowallet.Protocols.Profiles.RelayState;
using SimRelay = Kilowallet.Simulator.Meters.RelayState;

namespace Kilowallet.Simulator.Tests.Wire;

public sealed class ModbusWireTests
{
    public static TheoryData<string, GatewayTransportKind> ModbusProfiles => new()
    {
        { "kpm31", GatewayTransportKind.ModbusTcp },
        { "kpm33", GatewayTransportKind.ModbusTcp },
        { "kpm37", GatewayTransportKind.RtuOverTcp },
        { "sdm120", GatewayTransportKind.ModbusTcp },
        { "sdm630", GatewayTransportKind.RtuOverTcp },
        { "ddsu666", GatewayTransportKind.ModbusTcp },
        { "dtsu666", GatewayTransportKind.ModbusTcp },
    };

    [Theory]
    [MemberData(nameof(ModbusProfiles))]
    public async Task Our_master_and_reader_get_the_virtual_meters_values_for_every_shipped_Modbus_profile(string kind, GatewayTransportKind transport)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await WireMall.StartAsync(WireMall.Bus(transport, null, WireMall.Meter("A", kind, 1, transport: transport), WireMall.Meter("B", kind, 7, transport: transport)));
        var profile = WireMall.Catalog.Get(kind);

        var snapshot = await new MeterReader().ReadAsync(wire.Modbus(), 7, profile, ct);
        var reading = wire["B"].Read(); // the simulated clock has not moved: the same instant

        Assert.True(snapshot.IsComplete, string.Join("; ", snapshot.Errors));
        foreach (var point in profile.Modbus!.Points)
        {
            var actual = snapshot.Values[point.Quantity];
            if (MeterQuantities.IsEnergy(point.Quantity))
            {
                Assert.Equal((double)ReadingValues.Energy(reading, point.Quantity), (double)actual, 0.001);
            }
            else
            {
                var expected = ReadingValues.Live(reading, point.Quantity);
                var step = point.Type == RegisterType.F32 ? Math.Abs(expected) * 1e-6 : (double)Math.Abs(point.Scale) / 2;
                Assert.True(Math.Abs(expected - (double)actual) <= step + 1e-9, $"{MeterQuantities.Name(point.Quantity)}: {actual} on the wire, {expected} in the meter");
            }
        }

        Assert.Equal(1234.56, (double)snapshot.EnergyTotalKwh!.Value, 0.001);
        Assert.InRange(snapshot.VoltageA!.Value, 220, 240);
        Assert.True(snapshot.PowerTotalKw > 0.1, "the restaurant draws power at noon");
        AssertPowerIsVoltsTimesAmpsTimesPowerFactor(snapshot, profile.Phases);
        Assert.Equal(profile.Modbus.RelayState is null ? RelayState.Unknown : RelayState.Closed, snapshot.Relay);
    }

    [Fact]
    public async Task Energy_read_over_the_wire_grows_by_the_integral_of_the_power_read_over_the_wire()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await WireMall.StartAsync(WireMall.Bus(GatewayTransportKind.ModbusTcp, null, WireMall.Meter("A", "kpm31", 1)));
        var profile = WireMall.Catalog.Get("kpm31");
        var master = wire.Modbus();
        var reader = new MeterReader();

        var first = await reader.ReadAsync(master, 1, profile, ct);
        var integral = 0.0;
        for (var minute = 0; minute < 90; minute++)
        {
            // Load is constant within each minute of simulated time: power at its start times a minute is exact.
            var power = (await reader.ReadAsync(master, 1, profile, ct)).PowerTotalKw!.Value;
            integral += power / 60.0;
            wire.Sim.Advance(TimeSpan.FromMinutes(1));
        }

        var last = await reader.ReadAsync(master, 1, profile, ct);
        var grown = (double)(last.EnergyTotalKwh!.Value - first.EnergyTotalKwh!.Value);
        Assert.True(integral > 0.5, $"expected a busy hour and a half (got {integral:0.000} kWh)");
        Assert.Equal(integral, grown, 0.011); // 0.01 kWh register resolution + 0.001 kW power resolution over 1.5 h
        Assert.Equal((double)(last.EnergySharpKwh + last.EnergyPeakKwh + last.EnergyFlatKwh + last.EnergyValleyKwh)!, (double)last.EnergyTotalKwh.Value, 0.04);
    }

    [Theory]
    [InlineData("kpm31")]
    [InlineData("kpm33")]
    public async Task A_trip_by_the_profiles_command_reads_back_open_with_zero_current_and_frozen_energy(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await WireMall.StartAsync(WireMall.Bus(GatewayTransportKind.ModbusTcp, null, WireMall.Meter("A", kind, 3)));
        var profile = WireMall.Catalog.Get(kind);
        var master = wire.Modbus();
        var reader = new MeterReader();

        var trip = await RelayCommander.ExecuteAsync(master, 3, profile, RelayAction.Trip, ct);

        Assert.True(trip.IsVerified(RelayAction.Trip), trip.Detail);
        Assert.Equal(SimRelay.Open, wire["A"].Read().Relay);
        var open = await reader.ReadAsync(master, 3, profile, ct);
        Assert.Equal(0, open.CurrentA);
        Assert.Equal(0, open.PowerTotalKw);
        wire.Sim.Advance(TimeSpan.FromHours(2));
        Assert.Equal(open.EnergyTotalKwh, (await reader.ReadAsync(master, 3, profile, ct)).EnergyTotalKwh);

        var close = await RelayCommander.ExecuteAsync(master, 3, profile, RelayAction.Close, ct);
        Assert.True(close.IsVerified(RelayAction.Close), close.Detail);
        Assert.True((await reader.ReadAsync(master, 3, profile, ct)).CurrentA > 0);
    }

    [Fact]
    public async Task Unmapped_registers_inside_a_documented_range_read_zero_and_reads_outside_are_refused_with_exception_02()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await WireMall.StartAsync(WireMall.Bus(GatewayTransportKind.ModbusTcp, null, WireMall.Meter("A", "kpm31", 1)));
        var master = wire.Modbus();

        var gap = await master.ReadHoldingRegistersAsync(1, 0x000A, 6, ct);
        var whole = await master.ReadHoldingRegistersAsync(1, 0x0000, 0x17, ct);
        var outside = await master.ReadHoldingRegistersAsync(1, 0x0100, 2, ct);
        var pastTheEnd = await master.ReadHoldingRegistersAsync(1, 0x0015, 4, ct);
        var inputs = await master.ReadInputRegistersAsync(1, 0x0000, 2, ct);

        Assert.Equal(new ushort[6], gap.Value);
        Assert.True(whole.IsSuccess, whole.Describe());
        Assert.InRange(whole.Value![0x10], 2200, 2400); // 230 V × 10 at the voltage register
        Assert.All([outside, pastTheEnd, inputs], r => Assert.Equal((ExchangeStatus.DeviceError, ModbusExceptionCode.IllegalDataAddress), (r.Status, r.ExceptionCode)));
    }

    [Fact]
    public async Task Writes_that_are_not_the_profiles_relay_commands_are_refused_and_change_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await WireMall.StartAsync(WireMall.Bus(GatewayTransportKind.ModbusTcp, null, WireMall.Meter("A", "kpm33", 1)));
        var master = wire.Modbus();

        var badValue = await master.WriteSingleRegisterAsync(1, 0x0031, 9, ct);
        var badAddress = await master.WriteSingleRegisterAsync(1, 0x0000, 1, ct);
        var coil = await master.WriteSingleCoilAsync(1, 0x0000, false, ct);
        var multiple = await master.WriteMultipleRegistersAsync(1, 0x0031, new ushort[] { 1 }, ct);

        Assert.Equal(ModbusExceptionCode.IllegalDataValue, badValue.ExceptionCode);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, badAddress.ExceptionCode);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, coil.ExceptionCode);
        Assert.True(multiple.IsSuccess, "a one-register FC16 write of the trip value trips too");
        Assert.Equal(SimRelay.Open, wire["A"].Read().Relay);
    }

    [Fact]
    public async Task A_unit_id_with_no_meter_gets_exception_0B_from_a_Modbus_TCP_gateway_and_silence_from_a_DTU()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await WireMall.StartAsync(new MallDefinition("Two buses",
            [WireMall.Gateway("GW", GatewayTransportKind.ModbusTcp), WireMall.Gateway("DTU", GatewayTransportKind.RtuOverTcp)],
            [WireMall.Meter("A", "kpm31", 1, "GW"), WireMall.Meter("B", "ddsu666", 1, "DTU", GatewayTransportKind.RtuOverTcp)]));

        var gateway = await wire.Modbus("GW").ReadHoldingRegistersAsync(2, 0, 2, ct);
        var dtu = await wire.Modbus("DTU", timeoutMs: 300).ReadInputRegistersAsync(2, 0x2000, 2, ct);

        Assert.Equal(ModbusExceptionCode.GatewayTargetFailedToRespond, gateway.ExceptionCode);
        Assert.Equal(ExchangeStatus.Timeout, dtu.Status);
        Assert.NotEqual(wire.EndPoint("GW"), wire.EndPoint("DTU"));
    }

    [Fact]
    public async Task A_corrected_profile_file_changes_what_is_served_without_code()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("kilowallet-profiles-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(MeterProfileCatalog.DefaultDirectory, "*.json"))
            {
                File.Copy(file, Path.Combine(directory.FullName, Path.GetFileName(file)));
            }

            // The vendor's manual says: voltage is a word-swapped float at 0x0040, energy a u64 in watt-hours at 0x0100.
            var path = Path.Combine(directory.FullName, "kpm31.json");
            var json = File.ReadAllText(path)
                .Replace("\"quantity\": \"voltage_a\", \"function\": 3, \"address\": \"0x0010\", \"type\": \"u16\", \"word_order\": \"ABCD\", \"scale\": 0.1",
                    "\"quantity\": \"voltage_a\", \"function\": 3, \"address\": \"0x0040\", \"type\": \"f32\", \"word_order\": \"CDAB\", \"scale\": 1", StringComparison.Ordinal)
                .Replace("\"quantity\": \"energy_total\", \"function\": 3, \"address\": \"0x0000\", \"type\": \"u32\", \"word_order\": \"ABCD\", \"scale\": 0.01",
                    "\"quantity\": \"energy_total\", \"function\": 3, \"address\": \"0x0100\", \"type\": \"u64\", \"word_order\": \"CDAB\", \"scale\": 0.001", StringComparison.Ordinal);
            File.WriteAllText(path, json);
            var catalog = MeterProfileCatalog.LoadOrThrow(directory.FullName);
            var profile = catalog.Get("kpm31");
            Assert.Contains(profile.Modbus!.Points, p => p.Quantity == MeterQuantity.VoltageA && p.Address == 0x0040);

            await using var wire = await WireMall.StartAsync(WireMall.Bus(GatewayTransportKind.ModbusTcp, null, WireMall.Meter("A", "kpm31", 1)), new WireOptions { Profiles = catalog });
            var snapshot = await new MeterReader().ReadAsync(wire.Modbus(), 1, profile, ct);
            var reading = wire["A"].Read();

            Assert.True(snapshot.IsComplete, string.Join("; ", snapshot.Errors));
            Assert.Equal(reading.Phases[0].VoltageV, snapshot.VoltageA!.Value, 0.0001);
            Assert.Equal(reading.Registers.TotalKwh, snapshot.EnergyTotalKwh);
            var old = await wire.Modbus().ReadHoldingRegistersAsync(1, 0x0010, 1, ct);
            Assert.Equal(new ushort[] { 0 }, old.Value); // the old voltage register is now a gap inside the documented range
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_meter_whose_profile_cannot_be_served_on_its_gateway_is_refused_with_a_sentence_before_anything_listens()
    {
        var definition = new MallDefinition("Mismatch", [WireMall.Gateway("645", GatewayTransportKind.Dlt645Tcp)],
            [WireMall.Meter("S", "sdm120", 1, "645", GatewayTransportKind.Dlt645Tcp)]);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => WireMall.StartAsync(definition));

        Assert.Contains("Meter S is on dlt645-tcp gateway '645' but profile sdm120 has no DL/T 645 map", e.Message, StringComparison.Ordinal);
    }

    internal static void AssertPowerIsVoltsTimesAmpsTimesPowerFactor(MeterSnapshot snapshot, int phases)
    {
        (double? V, double? I, double? P, double? Pf)[] perPhase = phases == 1
            ? [(snapshot.VoltageA, snapshot.CurrentA, snapshot.PowerTotalKw, snapshot.PowerFactor)]
            : [(snapshot.VoltageA, snapshot.CurrentA, snapshot.PowerAKw, snapshot.PowerFactorA),
                (snapshot.VoltageB, snapshot.CurrentB, snapshot.PowerBKw, snapshot.PowerFactorB),
                (snapshot.VoltageC, snapshot.CurrentC, snapshot.PowerCKw, snapshot.PowerFactorC)];
        foreach (var (v, i, p, pf) in perPhase)
        {
            Assert.NotNull(p);
            var expected = v!.Value * i!.Value * pf!.Value / 1000.0;
            Assert.True(Math.Abs(expected - p.Value) <= 0.01 + (0.01 * p.Value), $"P {p} kW but V·I·PF = {v}·{i}·{pf} = {expected:0.0000} kW");
        }
    }
}
