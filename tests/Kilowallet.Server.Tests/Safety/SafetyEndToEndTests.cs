using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain.Control;
using Kilowallet.Domain.Safety;
using Kilowallet.Server.Control;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using SimRelay = Kilowallet.Simulator.Meters.RelayState;

namespace Kilowallet.Server.Tests.Safety;

/// <summary>
/// Safety detection end to end: faults injected into the virtual meters on the wire, detected from the live
/// values the server polls, acted on through the control loop and the relay.
/// </summary>
public sealed class SafetyEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_overload_trips_recloses_automatically_and_locks_out_after_the_allowed_recloses_until_an_operator_resets()
    {
        await using var mall = await ControlMall.StartAsync(meters: [new("K1", "kpm31", ControlMall.ModbusGateway, Unit: 1)]);
        using var op = await mall.OperatorAsync();
        var overload = mall.Inject("overload:serial=K1");

        // Trip, reclose, trip, reclose, trip → lockout (two recloses allowed).
        await Eventually.UntilAsync(async () => (await mall.AlarmsOfAsync("K1")).Any(a => a.Type == AlarmType.OverloadLockout), "the overload lockout", TimeSpan.FromSeconds(45));
        await mall.UntilRelayAsync("K1", SimRelay.Open);
        var commands = await mall.CommandsAsync("K1");
        Assert.Equal(
            [RelayCause.Overload, RelayCause.SafetyReleased, RelayCause.Overload, RelayCause.SafetyReleased, RelayCause.Overload],
            commands.Select(c => c.Cause));
        Assert.Equal(3, (await mall.AlarmsOfAsync("K1")).Count(a => a.Type == AlarmType.Overload));
        var row = await mall.ControlRowAsync("K1");
        Assert.Equal(SafetyHold.OverloadLockout, row!.SafetyHold);

        // Locked out: nothing recloses it by itself.
        await mall.Services.GetRequiredService<ControlService>().DecideAsync([mall["K1"].Id], Ct);
        Assert.Equal(5, (await mall.CommandsAsync("K1")).Count);

        var noReason = await op.PostAsJsonAsync($"/api/v1/meters/{mall["K1"].Id.Value}/safety-reset", new { }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        mall.Mall.Clear(overload);
        var reset = await op.PostAsJsonAsync($"/api/v1/meters/{mall["K1"].Id.Value}/safety-reset", new { reason = "Second oven removed" }, Ct);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var body = await reset.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("overloadLockout", body.GetProperty("previousHold").GetString());
        Assert.Equal("none", body.GetProperty("hold").GetString());
        await mall.UntilRelayAsync("K1", SimRelay.Closed);
        Assert.DoesNotContain(await mall.OpenAlarmsAsync(), a => a.SourceId == mall["K1"].Id.Value && a.Type is AlarmType.Overload or AlarmType.OverloadLockout);
    }

    [Fact]
    public async Task A_resistive_high_power_appliance_raises_an_alarm_and_trips_only_where_the_shop_forbids_it()
    {
        await using var mall = await ControlMall.StartAsync(meters:
        [
            // Behind a 2:1 CT the meter sees 1 kW of the 2 kW step: only the primary-side value crosses the 1.5 kW threshold.
            new("K1", "kpm31", ControlMall.ModbusGateway, Unit: 1) { HighPowerAllowed = true, CtRatio = 2m },
            new("K2", "kpm31", ControlMall.ModbusGateway, Unit: 2) { HighPowerAllowed = false },
        ]);
        mall.Inject("malicious:serial=K1,kw=2");
        mall.Inject("malicious:serial=K2,kw=2");

        await mall.UntilRelayAsync("K2", SimRelay.Open);
        Assert.Equal(RelayCause.MaliciousLoad, Assert.Single(await mall.CommandsAsync("K2")).Cause);
        await Eventually.UntilAsync(async () => (await mall.AlarmsOfAsync("K1")).Any(a => a.Type == AlarmType.MaliciousLoad), "the alarm of the allowed shop");
        Assert.Contains(await mall.AlarmsOfAsync("K2"), a => a.Type == AlarmType.MaliciousLoad);
        Assert.Equal(SimRelay.Closed, mall.RelayOf("K1"));
        Assert.Empty(await mall.CommandsAsync("K1"));
        Assert.Equal(SafetyHold.MaliciousLoad, (await mall.ControlRowAsync("K2"))!.SafetyHold);
    }

    [Fact]
    public async Task Current_flowing_while_the_relay_is_open_raises_a_bypass_alarm()
    {
        await using var mall = await ControlMall.StartAsync(meters: [new("K1", "kpm31", ControlMall.ModbusGateway, Unit: 1)]);
        using var op = await mall.OperatorAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await op.PostAsJsonAsync($"/api/v1/meters/{mall["K1"].Id.Value}/relay", new { action = "open", reason = "Shop closed" }, Ct)).StatusCode);
        await mall.UntilRelayAsync("K1", SimRelay.Open);

        var bypass = mall.Inject("bypass:serial=K1");
        await Eventually.UntilAsync(async () => (await mall.OpenAlarmsAsync()).Any(a => a.Type == AlarmType.Bypass && a.SourceId == mall["K1"].Id.Value), "the bypass alarm");
        mall.Mall.Clear(bypass);
        await Eventually.UntilAsync(async () => !(await mall.OpenAlarmsAsync()).Any(a => a.Type == AlarmType.Bypass), "the bypass alarm to clear");
    }

    [Fact]
    public async Task A_dead_gateway_is_one_alarm_not_one_per_meter_and_clears_when_it_comes_back()
    {
        await using var mall = await ControlMall.StartAsync(meters: [.. ControlMall.DefaultMeters.Where(m => m.Gateway == ControlMall.ModbusGateway)]);
        var dead = mall.Inject("offline:gateway=" + ControlMall.ModbusGateway);

        await Eventually.UntilAsync(async () => (await mall.OpenAlarmsAsync()).Any(a => a.Type == AlarmType.GatewayOffline), "the gateway-offline alarm", TimeSpan.FromSeconds(30));
        var open = await mall.OpenAlarmsAsync();
        Assert.Single(open, a => a.Type == AlarmType.GatewayOffline);
        Assert.DoesNotContain(open, a => a.Type == AlarmType.MeterOffline);

        mall.Mall.Clear(dead);
        await Eventually.UntilAsync(async () => !(await mall.OpenAlarmsAsync()).Any(a => a.Type is AlarmType.GatewayOffline or AlarmType.MeterOffline), "the offline alarm to clear", TimeSpan.FromSeconds(30));

        // One silent meter on a live bus is that meter's alarm.
        var one = mall.Inject("offline:serial=K2");
        await Eventually.UntilAsync(async () => (await mall.OpenAlarmsAsync()).Any(a => a.Type == AlarmType.MeterOffline), "the meter-offline alarm", TimeSpan.FromSeconds(30));
        var meterAlarm = Assert.Single(await mall.OpenAlarmsAsync(), a => a.Type is AlarmType.MeterOffline or AlarmType.GatewayOffline);
        Assert.Equal(mall["K2"].Id.Value, meterAlarm.SourceId);
        mall.Mall.Clear(one);
        await Eventually.UntilAsync(async () => !(await mall.OpenAlarmsAsync()).Any(a => a.Type == AlarmType.MeterOffline), "the meter-offline alarm to clear", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_voltage_sag_raises_an_under_voltage_alarm_that_clears_when_the_supply_recovers()
    {
        await using var mall = await ControlMall.StartAsync(meters: [new("K1", "kpm31", ControlMall.ModbusGateway, Unit: 1)]);
        var sag = mall.Inject("sag:serial=K1,v=185");

        await Eventually.UntilAsync(async () => (await mall.OpenAlarmsAsync()).Any(a => a.Type == AlarmType.UnderVoltage), "the under-voltage alarm");
        Assert.Equal(SimRelay.Closed, mall.RelayOf("K1"));
        mall.Mall.Clear(sag);
        await Eventually.UntilAsync(async () => !(await mall.OpenAlarmsAsync()).Any(a => a.Type == AlarmType.UnderVoltage), "the under-voltage alarm to clear");
    }
}
