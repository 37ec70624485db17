using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;
using Kilowallet.Simulator.Tests.Infrastructure;
using Kilowallet.Simulator.Wire;

namespace Kilowallet.Simulator.Tests.Wire;

public sealed class EncoderTests
{
    public static TheoryData<RegisterType, WordOrder, double, double> LiveCases => new()
    {
        { RegisterType.U16, WordOrder.Abcd, 0.1, 230.4 },
        { RegisterType.S16, WordOrder.Abcd, 0.001, -0.987 },
        { RegisterType.U32, WordOrder.Cdab, 0.01, 123_456.78 },
        { RegisterType.S32, WordOrder.Abcd, 0.001, -12.345 },
        { RegisterType.S32, WordOrder.Cdab, 0.001, 4_000.5 },
        { RegisterType.F32, WordOrder.Abcd, 1, 49.98 },
        { RegisterType.F32, WordOrder.Cdab, 0.001, 10_864.5 },
        { RegisterType.U64, WordOrder.Cdab, 0.001, 98_765.432 },
    };

    [Theory]
    [MemberData(nameof(LiveCases))]
    public void A_live_value_encodes_to_registers_the_decoder_turns_back_into_it(RegisterType type, WordOrder order, double scale, double value)
    {
        var point = new ModbusPoint(MeterQuantity.PowerTotal, ModbusFunction.ReadHoldingRegisters, 0, type, order, (decimal)scale);
        Span<ushort> registers = stackalloc ushort[point.RegisterCount];

        RegisterEncoder.EncodeLive(value, point, registers);
        RegisterDecoder.Decode(registers, type, order, out var whole, out var real);
        var decoded = whole is { } w ? MeterValues.Accept(point.Quantity, w, point.Scale, out _) : MeterValues.Accept(point.Quantity, real, point.Scale, out _);

        Assert.Equal(value, (double)decoded!.Value, type == RegisterType.F32 ? Math.Abs(value) * 1e-6 : scale / 2);
    }

    [Fact]
    public void Energy_is_truncated_to_the_register_step_and_rolls_over_at_the_types_capacity()
    {
        var u32 = new ModbusPoint(MeterQuantity.EnergyTotal, ModbusFunction.ReadHoldingRegisters, 0, RegisterType.U32, WordOrder.Abcd, 0.01m);
        var u16 = u32 with { Type = RegisterType.U16, Scale = 1 };
        Span<ushort> two = stackalloc ushort[2];
        Span<ushort> one = stackalloc ushort[1];

        RegisterEncoder.EncodeEnergy(1234.5678m, u32, two);
        RegisterEncoder.EncodeEnergy(65_538.9m, u16, one);

        Assert.Equal(123_456u, ((uint)two[0] << 16) | two[1]);
        Assert.Equal(2, one[0]);
    }

    [Fact]
    public void Live_values_beyond_a_registers_range_saturate_instead_of_wrapping()
    {
        var u16 = new ModbusPoint(MeterQuantity.CurrentA, ModbusFunction.ReadHoldingRegisters, 0, RegisterType.U16, WordOrder.Abcd, 0.01m);
        var s16 = u16 with { Type = RegisterType.S16 };
        Span<ushort> one = stackalloc ushort[1];

        RegisterEncoder.EncodeLive(900.0, u16, one);
        Assert.Equal(ushort.MaxValue, one[0]);
        RegisterEncoder.EncodeLive(-900.0, s16, one);
        Assert.Equal(unchecked((ushort)short.MinValue), one[0]);
        RegisterEncoder.EncodeLive(double.NaN, u16, one);
        Assert.Equal(0, one[0]);
    }

    [Fact]
    public void A_DLT645_power_beyond_its_format_saturates_at_the_largest_value_it_holds()
    {
        var map = new Dlt645ValueMap(WireMall.Catalog.Get("dlt645"));
        var sim = TestSim.Of(WireMall.Meter("F1", "dlt645", 1, "645", GatewayTransportKind.Dlt645Tcp, openingKwh: 999_999.995m));
        sim.AdvanceTo(WireMall.Noon);
        sim.Control.Inject("overload:serial=F1,kw=30");
        var reading = sim["F1"].Read();
        Span<byte> value = stackalloc byte[8];

        Assert.True(map.TryEncode(Dlt645DataIdentifier.ActivePowerTotal, reading, value, out var length));
        Assert.True(Dlt645Bcd.TryDecode(value[..length], Dlt645DataFormat.Power, out var power));
        Assert.True(reading.ActivePowerKw > 10);
        Assert.Equal(9.9999m, power);

        Assert.True(map.TryEncode(Dlt645DataIdentifier.ForwardActiveTotal, reading, value, out length));
        Assert.True(Dlt645Bcd.TryDecode(value[..length], Dlt645DataFormat.Energy, out var energy));
        Assert.Equal(reading.Registers.TotalKwh, energy); // the kind rolls over at 1,000,000 kWh, within the format
        Assert.False(map.TryEncode(Dlt645DataIdentifier.Parse("02010300"), reading, value, out _));
    }
}
