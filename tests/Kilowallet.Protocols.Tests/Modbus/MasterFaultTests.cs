using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Tests.Modbus;

public sealed class MasterFaultTests
{
    private static readonly MasterOptions Fast = new() { ResponseTimeout = TimeSpan.FromMilliseconds(250), Retries = 0 };

    [Theory]
    [InlineData(ModbusFraming.Tcp)]
    [InlineData(ModbusFraming.Rtu)]
    public async Task A_unit_that_does_not_answer_times_out_within_the_timeout(ModbusFraming framing)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = new ModbusSlaveServer(framing);
        server.AddDevice(1, new ModbusDataStore());
        server.Start();
        await using var master = new ModbusMaster(new TcpByteChannel("127.0.0.1", server.Port, TimeSpan.FromSeconds(2)), framing, Fast);

        var watch = Stopwatch.StartNew();
        var result = await master.ReadHoldingRegistersAsync(7, 0, 1, ct);

        Assert.Equal(ExchangeStatus.Timeout, result.Status);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10)); // a timeout, not a hang (loose: machines are noisy)
    }

    [Fact]
    public async Task Dropped_then_corrupted_replies_are_reported_and_the_next_request_recovers()
    {
        var ct = TestContext.Current.CancellationToken;
        var plan = SlaveReplyAction.Drop;
        await using var server = new ModbusSlaveServer(ModbusFraming.Rtu, new SlaveServerOptions { ReplyPlanner = _ => new SlaveReplyPlan(TimeSpan.Zero, plan) });
        var store = new ModbusDataStore();
        store.SetHoldingRegisters(0, 42);
        server.AddDevice(1, store);
        server.Start();
        await using var master = ModbusMaster.CreateRtuOverTcp("127.0.0.1", server.Port, Fast);

        Assert.Equal(ExchangeStatus.Timeout, (await master.ReadHoldingRegistersAsync(1, 0, 1, ct)).Status);
        plan = SlaveReplyAction.CorruptChecksum;
        Assert.Equal(ExchangeStatus.BadChecksum, (await master.ReadHoldingRegistersAsync(1, 0, 1, ct)).Status);
        plan = SlaveReplyAction.Reply;
        Assert.Equal(new ushort[] { 42 }, (await master.ReadHoldingRegistersAsync(1, 0, 1, ct)).Value);
        var stats = master.Statistics;
        Assert.Equal((3, 1, 1, 1), (stats.Requests, stats.Timeouts, stats.ChecksumErrors, stats.Successes));
    }

    [Fact]
    public async Task A_late_reply_with_another_transaction_id_is_discarded()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = Listen(out var port);
        await using var master = ModbusMaster.CreateTcp("127.0.0.1", port, Fast);
        var reading = master.ReadHoldingRegistersAsync(1, 0, 1, ct).AsTask();
        using var peer = await listener.AcceptAsync(ct);
        var request = new byte[12];
        await ReceiveExactlyAsync(peer, request, ct);
        var tid = (ushort)((request[0] << 8) | request[1]);
        byte[] late = [(byte)((tid - 1) >> 8), (byte)(tid - 1), 0, 0, 0, 5, 1, 3, 2, 0, 99];
        byte[] right = [request[0], request[1], 0, 0, 0, 5, 1, 3, 2, 0, 42];
        await peer.SendAsync(late, ct);
        await peer.SendAsync(right, ct);

        var result = await reading;

        Assert.Equal(new ushort[] { 42 }, result.Value);
        Assert.Equal(1, master.Statistics.DiscardedFrames);
    }

    [Fact]
    public async Task Garbage_before_an_rtu_reply_is_skipped()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = Listen(out var port);
        await using var master = ModbusMaster.CreateRtuOverTcp("127.0.0.1", port, Fast);
        var reading = master.ReadHoldingRegistersAsync(1, 0, 1, ct).AsTask();
        using var peer = await listener.AcceptAsync(ct);
        await ReceiveExactlyAsync(peer, new byte[8], ct);
        var reply = new byte[16];
        var length = ModbusRtu.Seal(reply, 1, ModbusPdu.WriteReadRegistersResponse(reply.AsSpan(1), ModbusFunction.ReadHoldingRegisters, [42]));
        await peer.SendAsync(new byte[] { 0x01, 0x03, 0xFA, 0x00, 0x13 }, ct);
        await peer.SendAsync(reply.AsMemory(0, length), ct);

        Assert.Equal(new ushort[] { 42 }, (await reading).Value);
    }

    [Fact]
    public async Task Master_reconnects_after_the_server_drops_the_connection()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = Listen(out var port);
        await using var master = ModbusMaster.CreateTcp("127.0.0.1", port, Fast with { Retries = 1 });
        var reading = master.ReadHoldingRegistersAsync(1, 0, 1, ct).AsTask();
        using (var first = await listener.AcceptAsync(ct))
        {
            await ReceiveExactlyAsync(first, new byte[12], ct);
            first.Shutdown(SocketShutdown.Both);
        }

        using var second = await listener.AcceptAsync(ct);
        var request = new byte[12];
        await ReceiveExactlyAsync(second, request, ct);
        await second.SendAsync(new byte[] { request[0], request[1], 0, 0, 0, 5, 1, 3, 2, 0, 7 }, ct);

        var result = await reading;
        Assert.True(result.IsSuccess, result.Describe());
        Assert.Equal(1, master.Statistics.Reconnects);
    }

    [Fact]
    public async Task Garbage_from_one_client_does_not_affect_another()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = new ModbusSlaveServer(ModbusFraming.Tcp);
        var store = new ModbusDataStore();
        store.SetHoldingRegisters(0, 5);
        server.AddDevice(1, store);
        server.Start();
        using var vandal = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await vandal.ConnectAsync(IPAddress.Loopback, server.Port, ct);
        await vandal.SendAsync(new byte[] { 0, 1, 0, 0, 0, 6, 1, 3 }, ct);
        await using var master = ModbusMaster.CreateTcp("127.0.0.1", server.Port, Fast);
        await vandal.SendAsync(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3, 4, 5, 6, 7 }, ct);

        Assert.Equal(new ushort[] { 5 }, (await master.ReadHoldingRegistersAsync(1, 0, 1, ct)).Value);
    }

    [Fact]
    public async Task Unknown_unit_behind_a_tcp_gateway_can_answer_exception_0B()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = new ModbusSlaveServer(ModbusFraming.Tcp, gatewayExceptions: true);
        server.Start();
        await using var master = ModbusMaster.CreateTcp("127.0.0.1", server.Port, Fast);

        var result = await master.ReadHoldingRegistersAsync(9, 0, 1, ct);

        Assert.Equal(ModbusExceptionCode.GatewayTargetFailedToRespond, result.ExceptionCode);
    }

    [Fact]
    public async Task A_closed_port_is_a_connection_failure_not_an_exception()
    {
        var ct = TestContext.Current.CancellationToken;
        using (Listen(out var port))
        {
            await using var closed = ModbusMaster.CreateTcp("127.0.0.1", port + 0, Fast);
        }

        using var probe = Listen(out var free);
        probe.Dispose();
        await using var master = ModbusMaster.CreateTcp("127.0.0.1", free, Fast with { Retries = 1 });
        var result = await master.ReadHoldingRegistersAsync(1, 0, 1, ct);
        Assert.Equal(ExchangeStatus.ConnectionFailed, result.Status);
    }

    private static Socket Listen(out int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        return listener;
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), ct);
            Assert.NotEqual(0, n);
            read += n;
        }
    }
}
