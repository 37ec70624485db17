using System.Net;
using System.Net.Sockets;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Tests.Interop;

/// <summary>Our code against Modbus implementations no one here wrote: mbpoll, pymodbus, through socat.</summary>
public sealed class InteropTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(20);

    private static ModbusDataStore Registers()
    {
        var store = new ModbusDataStore();
        store.SetHoldingRegisters(0, 10, 20, 30, 40);
        store.SetInputRegisters(0, 1, 2, 3, 4);
        return store;
    }

    [Fact]
    public async Task Our_modbus_tcp_slave_answers_mbpoll()
    {
        var ct = TestContext.Current.CancellationToken;
        var mbpoll = ExternalTools.Require("mbpoll");
        await using var server = new ModbusSlaveServer(ModbusFraming.Tcp);
        server.AddDevice(1, Registers());
        server.Start();

        await using var tool = ToolProcess.Start(mbpoll, ["-m", "tcp", "-a", "1", "-r", "1", "-c", "4", "-t", "4", "-1", "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1"]);
        Assert.Equal(0, await tool.WaitForExitAsync(ToolTimeout, ct));

        AssertRegisters(tool.Output);
    }

    [Fact]
    public async Task Our_rtu_over_tcp_slave_answers_mbpoll_in_rtu_mode_through_a_socat_pty()
    {
        // This mbpoll has no RTU-over-TCP mode ("-m enc"); socat joins a pty (where mbpoll speaks RTU) to our TCP port.
        var ct = TestContext.Current.CancellationToken;
        var mbpoll = ExternalTools.Require("mbpoll");
        var socat = ExternalTools.Require("socat");
        await using var server = new ModbusSlaveServer(ModbusFraming.Rtu);
        server.AddDevice(1, Registers());
        server.Start();
        var link = Path.Combine(Path.GetTempPath(), $"kw-rtu-{Guid.NewGuid():N}");
        await using var bridge = ToolProcess.Start(socat, ["-d", "-d", $"pty,raw,echo=0,link={link}", $"tcp:127.0.0.1:{server.Port}"]);
        await bridge.WaitForLineAsync("starting data transfer loop", ToolTimeout, ct);

        await using var tool = ToolProcess.Start(mbpoll, ["-m", "rtu", "-b", "9600", "-P", "none", "-a", "1", "-r", "1", "-c", "4", "-t", "4", "-1", "-o", "2", link]);
        Assert.Equal(0, await tool.WaitForExitAsync(ToolTimeout, ct));

        AssertRegisters(tool.Output);
    }

    [Fact]
    public async Task Our_tcp_master_reads_a_pymodbus_server()
    {
        var ct = TestContext.Current.CancellationToken;
        var python = await ExternalTools.RequirePymodbusAsync(ct);
        var port = FreePort();
        await using var server = ToolProcess.Start(python, [Script, "tcp", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await server.WaitForLineAsync("READY", ToolTimeout, ct);
        await using var master = ModbusMaster.CreateTcp("127.0.0.1", port, new MasterOptions { ResponseTimeout = TimeSpan.FromSeconds(2) });

        var holding = await master.ReadHoldingRegistersAsync(1, 0, 4, ct);
        var input = await master.ReadInputRegistersAsync(1, 0, 2, ct);
        var coils = await master.ReadCoilsAsync(1, 0, 3, ct);
        var written = await master.WriteSingleRegisterAsync(1, 1, 777, ct);
        var after = await master.ReadHoldingRegistersAsync(1, 0, 2, ct);

        Assert.Equal(new ushort[] { 10, 20, 30, 40 }, holding.Value);
        Assert.Equal(new ushort[] { 0x4366, 0x3334 }, input.Value);
        Assert.Equal(new[] { true, false, true }, coils.Value);
        Assert.True(written.IsSuccess, written.Describe());
        Assert.Equal(new ushort[] { 10, 777 }, after.Value);
    }

    [Fact]
    public async Task Our_serial_master_reads_a_pymodbus_rtu_server_over_a_virtual_serial_pair()
    {
        var ct = TestContext.Current.CancellationToken;
        var socat = ExternalTools.Require("socat");
        var python = await ExternalTools.RequirePymodbusAsync(ct);
        var id = Guid.NewGuid().ToString("N");
        var ours = Path.Combine(Path.GetTempPath(), $"kw-x-{id}");
        var theirs = Path.Combine(Path.GetTempPath(), $"kw-y-{id}");
        await using var pair = ToolProcess.Start(socat, ["-d", "-d", $"pty,raw,echo=0,link={ours}", $"pty,raw,echo=0,link={theirs}"]);
        await pair.WaitForLineAsync("starting data transfer loop", ToolTimeout, ct);
        await using var server = ToolProcess.Start(python, [Script, "rtu", theirs]);
        await server.WaitForLineAsync("READY", ToolTimeout, ct);
        await using var master = ModbusMaster.CreateRtuSerial(new SerialSettings(ours, 9600, System.IO.Ports.Parity.None), new MasterOptions { ResponseTimeout = TimeSpan.FromSeconds(2) });

        var holding = await master.ReadHoldingRegistersAsync(1, 0, 4, ct);
        var input = await master.ReadInputRegistersAsync(1, 0, 2, ct);

        Assert.True(holding.IsSuccess, holding.Describe());
        Assert.Equal(new ushort[] { 10, 20, 30, 40 }, holding.Value);
        Assert.Equal(new ushort[] { 0x4366, 0x3334 }, input.Value);
    }

    [Fact]
    public async Task Mbpoll_reads_our_serial_slave_over_a_virtual_serial_pair()
    {
        var ct = TestContext.Current.CancellationToken;
        var socat = ExternalTools.Require("socat");
        var mbpoll = ExternalTools.Require("mbpoll");
        var id = Guid.NewGuid().ToString("N");
        var ours = Path.Combine(Path.GetTempPath(), $"kw-s-{id}");
        var theirs = Path.Combine(Path.GetTempPath(), $"kw-m-{id}");
        await using var pair = ToolProcess.Start(socat, ["-d", "-d", $"pty,raw,echo=0,link={ours}", $"pty,raw,echo=0,link={theirs}"]);
        await pair.WaitForLineAsync("starting data transfer loop", ToolTimeout, ct);
        await using var slave = new ModbusRtuSerialSlave(new SerialSettings(ours, 9600, System.IO.Ports.Parity.None));
        slave.AddDevice(1, Registers());
        slave.Start();

        await using var tool = ToolProcess.Start(mbpoll, ["-m", "rtu", "-b", "9600", "-P", "none", "-a", "1", "-r", "1", "-c", "4", "-t", "4", "-1", "-o", "2", theirs]);
        Assert.Equal(0, await tool.WaitForExitAsync(ToolTimeout, ct));

        AssertRegisters(tool.Output);
    }

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Interop", "pymodbus_server.py");

    private static void AssertRegisters(string output)
    {
        var values = output.Split('\n')
            .Where(l => l.TrimStart().StartsWith('['))
            .Select(l => l.Split(':')[1].Trim())
            .ToList();
        Assert.True(values.SequenceEqual(["10", "20", "30", "40"]), output);
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
