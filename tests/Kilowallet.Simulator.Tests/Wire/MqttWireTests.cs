using Kilowallet.Protocols.Mqtt;
using Kilowallet.Simulator.Meters;
using Kilowallet.Simulator.Tests.Infrastructure;
using Kilowallet.Simulator.Wire;

namespace Kilowallet.Simulator.Tests.Wire;

public sealed class MqttWireTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static Task<WireMall> FourGAsync(TestBroker broker, TimeSpan? maxReconnect = null) =>
        WireMall.StartAsync(
            new MallDefinition("4G", [WireMall.Gateway("4G", GatewayTransportKind.Mqtt)],
                [WireMall.Meter("KPM33-01", "kpm33", 1, "4G", GatewayTransportKind.Mqtt), WireMall.Meter("KPM37-02", "kpm37", 2, "4G", GatewayTransportKind.Mqtt)]),
            new WireOptions
            {
                Mqtt = broker.Address,
                TelemetryInterval = TimeSpan.FromSeconds(60),
                RelayPollInterval = TimeSpan.FromMilliseconds(100),
                InitialReconnectDelay = TimeSpan.FromMilliseconds(100),
                MaxReconnectDelay = maxReconnect ?? TimeSpan.FromSeconds(1),
            });

    private static Func<byte[], bool> Telemetry(Func<TelemetryMessage, bool> match) =>
        payload => MqttPayloadCodec.DecodeTelemetry(payload) is { IsValid: true } t && match(t.Value!);

    private static TelemetryMessage Decode(byte[] payload) => MqttPayloadCodec.DecodeTelemetry(payload).Value!;

    [Fact]
    public async Task Four_G_meters_publish_telemetry_on_connecting_and_every_interval_of_simulated_time()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var wire = await FourGAsync(broker);

        var first = Decode(await broker.WaitForAsync("meters/KPM33-01/telemetry", _ => true, Patience));
        await broker.WaitForAsync("meters/KPM37-02/telemetry", _ => true, Patience);
        var reading = wire["KPM33-01"].Read();

        Assert.Equal("KPM33-01", first.Serial);
        Assert.Equal(reading.Registers.TotalKwh, first.Energy.Total);
        Assert.Equal(3, first.Phases!.Count);
        Assert.Equal(reading.Phases[1].VoltageV, first.Phases[1].V!.Value, 0.05);
        Assert.Equal(reading.ActivePowerKw, first.P!.Value, 0.0001);
        Assert.Equal("closed", first.Relay);
        Assert.Equal(TimeSpan.FromHours(8), first.Ts.Offset); // the meter's clock in the mall's zone
        Assert.All(first.Phases, p => Assert.Equal(p.P!.Value, p.V!.Value * p.I!.Value * p.Pf!.Value / 1000, 0.002 + (0.001 * p.P.Value))); // PF to 0.001
        var mapped = MqttFieldMapper.Map(WireMall.Catalog.Get("kpm33"), MqttPayloadCodec.Encode(first), wire.Sim.Now);
        Assert.True(mapped.Value!.IsComplete, string.Join("; ", mapped.Value.Errors)); // what the server ingests by the profile

        wire.Sim.Advance(TimeSpan.FromSeconds(60));
        var next = Decode(await broker.WaitForAsync("meters/KPM33-01/telemetry", Telemetry(t => t.Seq == first.Seq + 1), Patience));
        Assert.True(next.Ts - first.Ts >= TimeSpan.FromSeconds(60));
        Assert.True(next.Energy.Total >= first.Energy.Total);
    }

    [Fact]
    public async Task A_trip_command_is_executed_acknowledged_with_the_relay_state_and_published_and_a_repeated_id_acts_once()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var wire = await FourGAsync(broker);
        await broker.WaitForAsync("meters/KPM33-01/telemetry", _ => true, Patience);

        await broker.SendAsync("KPM33-01", new CommandMessage { Id = "cmd-1", Command = MeterCommandKind.Trip, Ts = wire.Sim.Now });
        var ack = MqttPayloadCodec.DecodeAcknowledgement(await broker.WaitForAsync("meters/KPM33-01/cmd/ack", _ => true, Patience)).Value!;
        var published = Decode(await broker.WaitForAsync("meters/KPM33-01/telemetry", Telemetry(t => t.Relay == "open"), Patience));

        Assert.Equal(("cmd-1", AckStatus.Ok, "open"), (ack.Id, ack.Status, ack.Relay));
        Assert.Equal(RelayState.Open, wire["KPM33-01"].Read().Relay);
        Assert.Equal(0, published.P);
        Assert.Equal(RelayState.Closed, wire["KPM37-02"].Read().Relay);

        await broker.SendAsync("KPM33-01", new CommandMessage { Id = "cmd-2", Command = MeterCommandKind.Close, Ts = wire.Sim.Now });
        await broker.WaitForAsync("meters/KPM33-01/cmd/ack", p => MqttPayloadCodec.DecodeAcknowledgement(p).Value?.Id == "cmd-2", Patience);
        await broker.SendAsync("KPM33-01", new CommandMessage { Id = "cmd-1", Command = MeterCommandKind.Trip, Ts = wire.Sim.Now }); // a retry of the old trip
        var repeated = MqttPayloadCodec.DecodeAcknowledgement(await broker.WaitForAsync("meters/KPM33-01/cmd/ack", p => MqttPayloadCodec.DecodeAcknowledgement(p).Value?.Id == "cmd-1", Patience)).Value!;

        Assert.Equal(AckStatus.Ok, repeated.Status);
        Assert.Equal(RelayState.Closed, wire["KPM33-01"].Read().Relay);
    }

    [Fact]
    public async Task A_relay_change_made_elsewhere_is_published_at_once()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var wire = await FourGAsync(broker);
        await broker.WaitForAsync("meters/KPM37-02/telemetry", _ => true, Patience);

        wire.Sim.Control.SetRelay("KPM37-02", RelayCommand.Open);

        await broker.WaitForAsync("meters/KPM37-02/telemetry", Telemetry(t => t.Relay == "open"), Patience);
    }

    [Fact]
    public async Task A_meter_reconnects_when_the_broker_comes_back_and_goes_on_publishing()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var wire = await FourGAsync(broker);
        var before = Decode(await broker.WaitForAsync("meters/KPM33-01/telemetry", _ => true, Patience));

        await broker.RestartAsync(() =>
        {
            wire.Sim.Advance(TimeSpan.FromMinutes(5)); // time passes while the broker is down
            return Task.CompletedTask;
        });

        var after = Decode(await broker.WaitForAsync("meters/KPM33-01/telemetry", Telemetry(t => t.Seq > before.Seq), Patience));
        Assert.True(after.Ts > before.Ts);
    }

    [Fact]
    public async Task An_offline_4G_meter_publishes_nothing_and_ignores_commands_until_it_is_back()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var wire = await FourGAsync(broker);
        await broker.WaitForAsync("meters/KPM33-01/telemetry", _ => true, Patience);
        var offline = wire.Sim.Control.Inject("offline:serial=KPM33-01");

        wire.Sim.Advance(TimeSpan.FromSeconds(120));
        await broker.SendAsync("KPM33-01", new CommandMessage { Id = "cmd-x", Command = MeterCommandKind.Trip, Ts = wire.Sim.Now });
        Assert.False(await broker.AnythingOnAsync("meters/KPM33-01/cmd/ack", TimeSpan.FromSeconds(1)));
        Assert.Equal(RelayState.Closed, wire["KPM33-01"].Read().Relay);

        wire.Sim.Control.ClearEvent(offline);
        wire.Sim.Advance(TimeSpan.FromSeconds(60));
        await broker.WaitForAsync("meters/KPM33-01/telemetry", _ => true, Patience);
    }
}
