using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Tests.Modbus;

public sealed class MasterSlaveLoopbackTests
{
    private static readonly MasterOptions Fast = new() { ResponseTimeout = TimeSpan.FromMilliseconds(300), Retries = 1 };

    private static ModbusDataStore Meter()
    {
        var store = new ModbusDataStore();
        store.SetHoldingRegisters(0, 10, 20, 30, 40);
        store.SetInputRegisters(0x100, 0x4366, 0x3334);
        store.SetCoils(0, true, false, true);
        store.SetDiscreteInputs(5, false, true);
        return store;
    }

    [Theory]
    [InlineData(ModbusFraming.Tcp)]
    [InlineData(ModbusFraming.Rtu)]
    public async Task Master_reads_and_writes_every_function_through_our_slave(ModbusFraming framing)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = new ModbusSlaveServer(framing);
        var store = Meter();
        server.AddDevice(1, store);
        server.Start();
        await using var master = new ModbusMaster(new TcpByteChannel("127.0.0.1", server.Port, TimeSpan.FromSeconds(2)), framing, Fast);

        var holding = await master.ReadHoldingRegistersAsync(1, 0, 4, ct);
        Assert.True(holding.IsSuccess, holding.Describe());
        Assert.Equal(new ushort[] { 10, 20, 30, 40 }, holding.Value);

        var input = await master.ReadInputRegistersAsync(1, 0x100, 2, ct);
        Assert.Equal(new ushort[] { 0x4366, 0x3334 }, input.Value);

        var coils = await master.ReadCoilsAsync(1, 0, 3, ct);
        Assert.Equal(new[] { true, false, true }, coils.Value);

        var discrete = await master.ReadDiscreteInputsAsync(1, 5, 2, ct);
        Assert.Equal(new[] { false, true }, discrete.Value);

        Assert.True((await master.WriteSingleRegisterAsync(1, 2, 999, ct)).IsSuccess);
        Assert.True((await master.WriteMultipleRegistersAsync(1, 0, new ushort[] { 7, 8 }, ct)).IsSuccess);
        Assert.True((await master.WriteSingleCoilAsync(1, 1, true, ct)).IsSuccess);
        Assert.True((await master.WriteMultipleCoilsAsync(1, 0, new[] { false, false }, ct)).IsSuccess);
        Assert.Equal(new ushort[] { 7, 8, 999, 40 }, (await master.ReadHoldingRegistersAsync(1, 0, 4, ct)).Value);
        Assert.Equal(new[] { false, false, true }, (await master.ReadCoilsAsync(1, 0, 3, ct)).Value);
    }

    [Theory]
    [InlineData(ModbusFraming.Tcp)]
    [InlineData(ModbusFraming.Rtu)]
    public async Task Reading_past_the_map_returns_exception_02_not_an_error(ModbusFraming framing)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = new ModbusSlaveServer(framing);
        server.AddDevice(1, Meter());
        server.Start();
        await using var master = new ModbusMaster(new TcpByteChannel("127.0.0.1", server.Port, TimeSpan.FromSeconds(2)), framing, Fast);

        var result = await master.ReadHoldingRegistersAsync(1, 2, 5, ct);

        Assert.Equal(ExchangeStatus.DeviceError, result.Status);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, result.ExceptionCode);
        Assert.Contains("illegal data address", result.Describe(), StringComparison.Ordinal);
        Assert.Equal(1, master.Statistics.Requests);
    }
}
