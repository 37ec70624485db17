using System.Net.Sockets;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Transport;
using Kilowallet.Simulator.Meters;
using Kilowallet.Simulator.Tests.Infrastructure;

namespace Kilowallet.Simulator.Tests.Wire;

public sealed class WireFaultTests
{
    private static readonly TimeProvider Real = TimeProvider.System;

    /// <summary>Timers fire on a coarse monotonic clock (4 ms ticks on Linux), so a delay may end up to one tick early.</summary>
    private static readonly TimeSpan TimerTick = TimeSpan.FromMilliseconds(5);

    private static Task<WireMall> BusAsync(GatewayTransportKind transport, int? baud = null) =>
        WireMall.StartAsync(WireMall.Bus(transport, baud,
            WireMall.Meter("A", "kpm31", 1, transport: transport), WireMall.Meter("B", "kpm31", 2, transport: transport), WireMall.Meter("C", "kpm31", 3, transport: transport)));

    [Fact]
    public async Task An_offline_meter_times_out_while_its_neighbours_on_the_bus_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await BusAsync(GatewayTransportKind.ModbusTcp);
        var master = wire.Modbus(timeoutMs: 300);
        var id = wire.Sim.Control.Inject("offline:unit=2");

        Assert.Equal(ExchangeStatus.Timeout, (await master.ReadHoldingRegistersAsync(2, 0, 2, ct)).Status);
        Assert.True((await master.ReadHoldingRegistersAsync(1, 0, 2, ct)).IsSuccess);
        Assert.Equal(ExchangeStatus.Timeout, (await master.WriteSingleCoilAsync(2, 0, false, ct)).Status);
        Assert.Equal(RelayState.Closed, wire["B"].Read().Relay); // a deaf meter acts on nothing

        wire.Sim.Control.ClearEvent(id);
        Assert.True((await master.ReadHoldingRegistersAsync(2, 0, 2, ct)).IsSuccess);
    }

    [Fact]
    public async Task An_offline_gateway_answers_nothing_for_any_unit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await BusAsync(GatewayTransportKind.ModbusTcp);
        var master = wire.Modbus(timeoutMs: 300);
        wire.Sim.Control.Inject("gateway-offline");

        foreach (byte unit in new byte[] { 1, 2, 3, 9 })
        {
            Assert.Equal(ExchangeStatus.Timeout, (await master.ReadHoldingRegistersAsync(unit, 0, 2, ct)).Status);
        }
    }

    [Fact]
    public async Task CRC_errors_reach_an_RTU_over_TCP_master_as_bad_checksums_in_the_injected_fraction()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await BusAsync(GatewayTransportKind.RtuOverTcp);
        var master = wire.Modbus(timeoutMs: 500);
        var all = wire.Sim.Control.Inject("crc:unit=1,fraction=1");

        Assert.Equal(ExchangeStatus.BadChecksum, (await master.ReadHoldingRegistersAsync(1, 0, 2, ct)).Status);
        Assert.True((await master.ReadHoldingRegistersAsync(2, 0, 2, ct)).IsSuccess);

        wire.Sim.Control.ClearEvent(all);
        wire.Sim.Control.Inject("crc:unit=1,fraction=0.3");
        var bad = 0;
        for (var i = 0; i < 100; i++)
        {
            var result = await master.ReadHoldingRegistersAsync(1, 0, 2, ct);
            Assert.True(result.IsSuccess || result.Status == ExchangeStatus.BadChecksum, result.Describe());
            bad += result.IsSuccess ? 0 : 1;
        }

        Assert.InRange(bad, 15, 45);
    }

    [Fact]
    public async Task CRC_errors_behind_a_Modbus_TCP_gateway_come_back_as_exception_0B()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await BusAsync(GatewayTransportKind.ModbusTcp);
        wire.Sim.Control.Inject("crc:unit=3,fraction=1");

        var result = await wire.Modbus().ReadHoldingRegistersAsync(3, 0, 2, ct);

        Assert.Equal((ExchangeStatus.DeviceError, ModbusExceptionCode.GatewayTargetFailedToRespond), (result.Status, result.ExceptionCode));
    }

    [Fact]
    public async Task Slow_responses_arrive_after_the_extra_delay()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await BusAsync(GatewayTransportKind.ModbusTcp);
        var master = wire.Modbus(timeoutMs: 2000);
        Assert.True((await master.ReadHoldingRegistersAsync(1, 0, 2, ct)).IsSuccess); // connected
        wire.Sim.Control.Inject("slow:unit=1,ms=300");

        var started = Real.GetTimestamp();
        var result = await master.ReadHoldingRegistersAsync(1, 0, 2, ct);
        var latency = Real.GetElapsedTime(started);

        Assert.True(result.IsSuccess, result.Describe());
        Assert.True(latency >= TimeSpan.FromMilliseconds(300) - TimerTick, $"answered after {latency.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Wire_time_emulation_delays_a_20_register_read_by_its_RS485_time_and_the_bus_takes_one_request_at_a_time()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await BusAsync(GatewayTransportKind.ModbusTcp, baud: 9600);
        var one = wire.Modbus(timeoutMs: 2000);
        var other = wire.Modbus(timeoutMs: 2000);
        Assert.True((await one.ReadHoldingRegistersAsync(1, 0, 20, ct)).IsSuccess);
        Assert.True((await other.ReadHoldingRegistersAsync(2, 0, 20, ct)).IsSuccess);
        var exchange = WireTiming.ReplyDelay(8, 45, 9600, TimeSpan.FromMilliseconds(20)); // RTU frames behind the gateway: ≈ 80.7 ms

        var started = Real.GetTimestamp();
        var single = await one.ReadHoldingRegistersAsync(1, 0, 20, ct);
        var alone = Real.GetElapsedTime(started);
        started = Real.GetTimestamp();
        var both = await Task.WhenAll(one.ReadHoldingRegistersAsync(1, 0, 20, ct).AsTask(), other.ReadHoldingRegistersAsync(2, 0, 20, ct).AsTask());
        var together = Real.GetElapsedTime(started);

        Assert.True(single.IsSuccess && both.All(r => r.IsSuccess));
        Assert.True(alone >= exchange - TimerTick, $"one read took {alone.TotalMilliseconds:0.0} ms, the wire needs {exchange.TotalMilliseconds:0.0} ms");
        Assert.True(together >= (2 * exchange) - TimerTick, $"two reads from two clients took {together.TotalMilliseconds:0.0} ms: the bus must serve them one after the other");
    }

    [Theory]
    [InlineData(GatewayTransportKind.ModbusTcp)]
    [InlineData(GatewayTransportKind.RtuOverTcp)]
    [InlineData(GatewayTransportKind.Dlt645Tcp)]
    public async Task Garbage_or_a_half_frame_from_one_client_does_not_disturb_another(GatewayTransportKind transport)
    {
        var ct = TestContext.Current.CancellationToken;
        var dlt645 = transport == GatewayTransportKind.Dlt645Tcp;
        await using var wire = await WireMall.StartAsync(WireMall.Bus(transport, null, WireMall.Meter("A", dlt645 ? "dlt645" : "kpm31", 1, transport: transport)));
        var endPoint = wire.EndPoint();

        using (var rude = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
        {
            await rude.ConnectAsync(endPoint, ct);
            await rude.SendAsync(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x07, 0x68, 0x68, 0x16, 0xFF, 0x01, 0x03, 0x00 }, SocketFlags.None, ct);
            await rude.SendAsync(new byte[] { 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01 }, SocketFlags.None, ct); // half a frame, then gone
        }

        using var lingering = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await lingering.ConnectAsync(endPoint, ct);
        await lingering.SendAsync(new byte[] { 0x68, 0x01, 0x00, 0x00, 0x00, 0x01 }, SocketFlags.None, ct); // stays connected mid-frame

        for (var i = 0; i < 5; i++)
        {
            if (dlt645)
            {
                var value = await wire.Dlt645().ReadValueAsync(Protocols.Dlt645.Dlt645Address.Parse("000000000001"), Protocols.Dlt645.Dlt645DataIdentifier.VoltageA, null, ct);
                Assert.True(value.IsSuccess, value.Describe());
            }
            else
            {
                var value = await wire.Modbus().ReadHoldingRegistersAsync(1, 0x10, 1, ct);
                Assert.True(value.IsSuccess, value.Describe());
            }
        }
    }
}
