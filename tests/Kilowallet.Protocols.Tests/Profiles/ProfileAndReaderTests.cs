using System.Text;
using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Mqtt;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Tests.Profiles;

public sealed class ProfileAndReaderTests
{
    private static readonly MeterProfileCatalog Catalog = MeterProfileCatalog.Load(MeterProfileCatalog.DefaultDirectory);

    [Fact]
    public void All_shipped_profiles_load()
    {
        Assert.Empty(Catalog.Errors);
        Assert.Equal(["ddsu666", "dlt645", "dtsu666", "kpm31", "kpm33", "kpm37", "sdm120", "sdm630"], Catalog.Profiles.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(Catalog.Profiles.Where(p => p.Name.StartsWith("kpm", StringComparison.Ordinal)), p => Assert.True(p.Unverified));
        Assert.NotNull(Catalog.Get("kpm33").Mqtt);
        Assert.NotNull(Catalog.Get("kpm37").Modbus);
    }

    [Theory]
    [InlineData("\"quantity\": \"energy_total\"", "\"quantity\": \"energy_totl\"", "modbus.points[0].quantity", "unknown quantity 'energy_totl'")]
    [InlineData("\"type\": \"u32\"", "\"type\": \"u33\"", "modbus.points[0] (energy_total).type", "'u33' is not one of")]
    [InlineData("\"address\": \"0x0002\"", "\"address\": \"0x0001\"", "modbus.points (energy_sharp)", "registers overlap energy_total")]
    [InlineData("\"max_gap\": 8", "\"max_gap\": 8, \"max_block\": 200", "modbus.max_block", "read block of 200 registers")]
    [InlineData("\"quantity\": \"energy_total\"", "\"quantity\": \"energy_peak2\"", "modbus.points", "missing required quantity energy_total")]
    public void A_broken_profile_is_refused_with_file_entry_and_reason(string find, string replace, string entry, string reason)
    {
        var json = File.ReadAllText(Path.Combine(MeterProfileCatalog.DefaultDirectory, "kpm31.json"));
        var broken = ReplaceFirst(json, find, replace);

        var profile = MeterProfileCatalog.Parse(broken, "broken.json", out var errors);

        Assert.Null(profile);
        Assert.Contains(errors, e => e.File == "broken.json" && e.Entry == entry && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_merges_contiguous_registers_into_blocks_of_at_most_125()
    {
        var blocks = MeterReader.Plan(Catalog.Get("sdm630").Modbus!);
        Assert.Equal([(0x0000, 0x4A)], blocks.Select(b => ((int)b.Address, (int)b.Count)));
        var wide = Catalog.Get("dtsu666").Modbus!;
        Assert.All(MeterReader.Plan(wide), b => Assert.InRange(b.Count, 1, 125));
        Assert.Equal(3, MeterReader.Plan(wide).Count);
    }

    [Fact]
    public async Task Reader_decodes_a_kpm31_snapshot_and_the_commander_trips_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new ModbusDataStore();
        store.SetHoldingRegisters(0, 0x0001, 0xE240, 0, 100, 0, 200, 0, 300, 0, 400, 0, 0, 0, 0, 0, 0);
        store.SetHoldingRegisters(0x10, 2301, 512, 0xFFFF, 0xFC18, 980, 5000, 0x0004);
        store.SetCoils(0, true);
        await using var server = new ModbusSlaveServer(ModbusFraming.Rtu);
        server.AddDevice(3, store);
        server.Start();
        await using var master = ModbusMaster.CreateRtuOverTcp("127.0.0.1", server.Port, new MasterOptions { ResponseTimeout = TimeSpan.FromMilliseconds(500) });
        var profile = Catalog.Get("kpm31");

        var snapshot = await new MeterReader().ReadAsync(master, 3, profile, ct);

        Assert.True(snapshot.IsComplete, string.Join("; ", snapshot.Errors));
        Assert.Equal(1234.56m, snapshot.EnergyTotalKwh);
        Assert.Equal(4.00m, snapshot.EnergyValleyKwh);
        Assert.Equal(230.1, snapshot.VoltageA!.Value, 6);
        Assert.Equal(5.12, snapshot.CurrentA!.Value, 6);
        Assert.Equal(-1.0, snapshot.PowerTotalKw!.Value, 6);
        Assert.Equal(0.98, snapshot.PowerFactor!.Value, 6);
        Assert.Equal(4u, snapshot.AlarmFlags);
        Assert.Equal(RelayState.Closed, snapshot.Relay);

        var trip = await RelayCommander.ExecuteAsync(master, 3, profile, RelayAction.Trip, ct);
        Assert.True(trip.IsVerified(RelayAction.Trip), trip.Detail);
        Assert.Equal(ExchangeStatus.NotSupported, (await RelayCommander.ExecuteAsync(master, 3, profile, RelayAction.CloseAllowed, ct)).Status);
    }

    [Fact]
    public async Task Reader_rejects_nan_and_marks_an_absent_meter_offline()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new ModbusDataStore();
        store.SetInputRegisters(0, new ushort[0x4A]);
        store.SetInputRegisters(0x48, 0x7FC0, 0x0000);
        await using var server = new ModbusSlaveServer(ModbusFraming.Tcp);
        server.AddDevice(1, store);
        server.Start();
        await using var master = ModbusMaster.CreateTcp("127.0.0.1", server.Port, new MasterOptions { ResponseTimeout = TimeSpan.FromMilliseconds(200), Retries = 0 });
        var reader = new MeterReader();

        var snapshot = await reader.ReadAsync(master, 1, Catalog.Get("sdm630"), ct);
        Assert.Contains(snapshot.Errors, e => e.Quantity == MeterQuantity.EnergyTotal && e.Reason.Contains("not a finite number", StringComparison.Ordinal));

        var absent = await reader.ReadAsync(master, 2, Catalog.Get("sdm630"), ct);
        Assert.Equal(ExchangeStatus.Timeout, absent.LinkFailure);
    }

    [Fact]
    public async Task Dlt645_master_reads_and_controls_our_slave_with_wake_up_bytes_and_time_sync()
    {
        var ct = TestContext.Current.CancellationToken;
        var meter = new Dlt645DataStore(Dlt645Address.Parse("123456789012"));
        meter.SetValue(Dlt645DataIdentifier.ForwardActiveTotal, 12345.67m);
        meter.SetValue(Dlt645DataIdentifier.VoltageA, 220.1m);
        meter.SetValue(Dlt645DataIdentifier.CurrentA, -1.234m);
        await using var server = new Dlt645SlaveServer(replyWakeUpBytes: 2);
        server.AddDevice(meter);
        server.Start();
        await using var master = Dlt645Master.CreateTcp("127.0.0.1", server.Port, new Dlt645MasterOptions { Link = new MasterOptions { ResponseTimeout = TimeSpan.FromMilliseconds(500), Retries = 0 } });

        Assert.Equal(12345.67m, (await master.ReadValueAsync(Dlt645Address.Parse("123456789012"), Dlt645DataIdentifier.ForwardActiveTotal, null, ct)).Value);
        Assert.Equal(-1.234m, (await master.ReadValueAsync(Dlt645Address.Wildcard, Dlt645DataIdentifier.CurrentA, null, ct)).Value);
        Assert.Equal("123456789012", (await master.ReadAddressAsync(ct)).Value.ToString());
        var missing = await master.ReadValueAsync(meter.Address, Dlt645DataIdentifier.Frequency, null, ct);
        Assert.Equal((ExchangeStatus.DeviceError, Dlt645Errors.NoSuchData), (missing.Status, missing.Errors));

        var trip = await RelayCommander.ExecuteAsync(master, meter.Address, Catalog.Get("dlt645"), RelayAction.Trip, null, ct);
        Assert.True(trip.IsVerified(RelayAction.Trip), trip.Detail);

        var time = new DateTime(2026, 11, 27, 10, 0, 0, DateTimeKind.Unspecified);
        Assert.True((await master.BroadcastTimeSyncAsync(time, ct)).IsSuccess);
        await master.ReadAddressAsync(ct);
        Assert.Equal(time, meter.LastTimeSync);
    }

    [Fact]
    public void Mqtt_telemetry_round_trips_and_maps_through_the_kpm33_profile()
    {
        var message = new TelemetryMessage
        {
            Serial = "KPM33-0001",
            Ts = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.FromHours(8)),
            Seq = 123,
            Energy = new TelemetryEnergy(1234.567m, 100, 200, 300, 634.567m),
            Phases = [new TelemetryPhase(230.1, 5, 1.1, 0.98), new TelemetryPhase(229, 4, 0.9, 0.97), new TelemetryPhase(231, 3, 0.7, 0.99)],
            P = 2.7,
            Pf = 0.98,
            F = 50.01,
            Relay = "closed",
            Alarms = ["overload"],
        };
        var bytes = MqttPayloadCodec.Encode(message);
        var decoded = MqttPayloadCodec.DecodeTelemetry(bytes);
        Assert.True(decoded.IsValid, decoded.Reason);
        Assert.Equal(message.Energy, decoded.Value!.Energy);
        Assert.Equal("meters/KPM33-0001/telemetry", MqttTopics.Telemetry(message.Serial));

        var mapped = MqttFieldMapper.Map(Catalog.Get("kpm33"), bytes, DateTimeOffset.UnixEpoch);
        Assert.True(mapped.IsValid, mapped.Reason);
        Assert.Equal(1234.567m, mapped.Value!.EnergyTotalKwh);
        Assert.Equal(229.0, mapped.Value.VoltageB);
        Assert.Equal(RelayState.Closed, mapped.Value.Relay);
        Assert.Equal(message.Ts, mapped.Value.ReadAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("{\"v\":2,\"serial\":\"a\",\"ts\":\"2026-11-27T10:00:00+08:00\",\"energy\":{\"total\":1}}")]
    [InlineData("{\"v\":1,\"serial\":\"a/b\",\"ts\":\"2026-11-27T10:00:00+08:00\",\"energy\":{\"total\":1}}")]
    [InlineData("{\"v\":1,\"serial\":\"a\",\"ts\":\"yesterday\",\"energy\":{\"total\":1}}")]
    [InlineData("{\"v\":1,\"serial\":\"a\",\"ts\":\"2026-11-27T10:00:00+08:00\",\"energy\":{\"total\":-1}}")]
    [InlineData("{\"v\":1,\"serial\":\"a\",\"ts\":\"2026-11-27T10:00:00+08:00\"}")]
    public void Bad_telemetry_json_is_invalid_with_a_reason_never_an_exception(string json)
    {
        var result = MqttPayloadCodec.DecodeTelemetry(Encoding.UTF8.GetBytes(json));
        Assert.False(result.IsValid);
        Assert.False(string.IsNullOrEmpty(result.Reason));
        Assert.False(MqttPayloadCodec.DecodeCommand(Encoding.UTF8.GetBytes(json)).IsValid);
        Assert.False(MqttPayloadCodec.DecodeAcknowledgement(Encoding.UTF8.GetBytes(json)).IsValid);
    }

    [Fact]
    public void Commands_and_acknowledgements_round_trip()
    {
        var command = new CommandMessage { Id = "c-1", Command = MeterCommandKind.CloseAllowed, Ts = DateTimeOffset.UnixEpoch };
        var json = Encoding.UTF8.GetString(MqttPayloadCodec.Encode(command));
        Assert.Contains("\"command\":\"close_allowed\"", json, StringComparison.Ordinal);
        Assert.Equal(command, MqttPayloadCodec.DecodeCommand(Encoding.UTF8.GetBytes(json)).Value);
        var ack = new AckMessage { Id = "c-1", Status = AckStatus.Ok, Relay = "open" };
        Assert.Equal(ack, MqttPayloadCodec.DecodeAcknowledgement(MqttPayloadCodec.Encode(ack)).Value);
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var index = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(index >= 0, find);
        return string.Concat(text.AsSpan(0, index), replace, text.AsSpan(index + find.Length));
    }
}
