using System.Diagnostics;
using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Modbus;

namespace Kilowallet.Bench.Scenarios;

/// <summary>
/// Codec throughput: decode and encode of a register-read response (20 registers, the SDM630-like block)
/// in Modbus RTU and TCP, and of a DL/T 645 energy reply; frames per second and bytes allocated per frame.
/// Decoding a register read is meant to allocate nothing.
/// </summary>
internal sealed class ProtocolCodecScenario : IScenario
{
    public string Name => "codec";

    public string Description => "Modbus RTU/TCP and DL/T 645 decode/encode throughput and allocations per frame";

    public Task RunAsync(Report report, bool quick, CancellationToken cancellationToken)
    {
        var iterations = quick ? 1_000_000 : 10_000_000;
        var registers = new ushort[20];
        for (var i = 0; i < registers.Length; i++)
        {
            registers[i] = (ushort)(0x4366 + i);
        }

        var rtu = new byte[ModbusLimits.MaxRtuAduLength];
        var rtuLength = ModbusRtu.Seal(rtu, 1, ModbusPdu.WriteReadRegistersResponse(rtu.AsSpan(1), ModbusFunction.ReadInputRegisters, registers));
        var tcp = new byte[ModbusLimits.MaxTcpAduLength];
        var tcpLength = ModbusTcp.Seal(tcp, 7, 1, ModbusPdu.WriteReadRegistersResponse(tcp.AsSpan(ModbusLimits.MbapHeaderLength), ModbusFunction.ReadInputRegisters, registers));
        var dlt = new byte[Dlt645Codec.MaxFrameLength];
        var address = Dlt645Address.Parse("123456789012");
        var energy = new byte[4];
        Dlt645Bcd.Encode(12345.67m, Dlt645DataFormat.Energy, energy);
        var dltLength = Dlt645Frames.ReadReply(dlt, address, Dlt645DataIdentifier.ForwardActiveTotal, energy, wakeUpBytes: 2);
        var request = ModbusRequest.ReadInputRegisters(0, 20);
        var scratch = new byte[300];
        Measure(report, "modbus_rtu_decode", iterations, () =>
        {
            var sum = 0;
            ModbusRtu.Decode(rtu.AsSpan(0, rtuLength), ModbusFrameDirection.Response, out var frame);
            ModbusPdu.DecodeResponse(frame.Pdu, out var response);
            for (var i = 0; i < response.RegisterCount; i++)
            {
                sum = unchecked(sum + response.GetRegister(i));
            }

            return sum;
        });
        Measure(report, "modbus_tcp_decode", iterations, () =>
        {
            var sum = 0;
            ModbusTcp.Decode(tcp.AsSpan(0, tcpLength), out var frame);
            ModbusPdu.DecodeResponse(frame.Pdu, out var response);
            for (var i = 0; i < response.RegisterCount; i++)
            {
                sum = unchecked(sum + response.GetRegister(i));
            }

            return unchecked(sum + frame.TransactionId);
        });
        Measure(report, "dlt645_decode", iterations, () =>
        {
            Dlt645Codec.Decode(dlt.AsSpan(0, dltLength), out var frame);
            Span<byte> data = stackalloc byte[8];
            frame.CopyData(data);
            Dlt645Bcd.TryDecode(data[4..], Dlt645DataFormat.Energy, out var kwh);
            return (int)kwh;
        });
        Measure(report, "modbus_rtu_encode_request", iterations, () => ModbusRtu.WriteRequest(scratch, 1, request));
        Measure(report, "modbus_rtu_encode_response", iterations, () =>
            ModbusRtu.Seal(scratch, 1, ModbusPdu.WriteReadRegistersResponse(scratch.AsSpan(1), ModbusFunction.ReadInputRegisters, registers)));
        Measure(report, "modbus_tcp_encode_request", iterations, () => ModbusTcp.WriteRequest(scratch, 9, 1, request));
        Measure(report, "dlt645_encode_request", iterations, () => Dlt645Frames.ReadData(scratch, address, Dlt645DataIdentifier.ForwardActiveTotal, 4));

        return Task.CompletedTask;
    }

    private static void Measure(Report report, string figure, int iterations, Func<int> body)
    {
        var sink = 0;
        for (var i = 0; i < 10_000; i++)
        {
            sink = unchecked(sink + body());
        }

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            sink = unchecked(sink + body());
        }

        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        report.Result(figure + "_rate", iterations / watch.Elapsed.TotalSeconds, "frames/s");
        report.Result(figure + "_alloc", (double)allocated / iterations, "bytes/frame");
        GC.KeepAlive(sink);
    }
}
