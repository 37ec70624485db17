using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;

namespace Kilowallet.Simulator.Wire;

/// <summary>
/// Turns a quantity into the registers of a profile point: the exact inverse of <see cref="RegisterDecoder"/> and
/// <see cref="MeterValues"/> (raw = value / scale; words in the point's word order, bytes big-endian). Energy is
/// truncated to the register's resolution and rolls over at the type's capacity, as a meter's counter does; live
/// values are rounded to the nearest step and saturate at the type's range.
/// </summary>
internal static class RegisterEncoder
{
    public static void EncodeEnergy(decimal kwh, ModbusPoint point, Span<ushort> registers)
    {
        var raw = kwh / point.Scale;
        if (point.Type == RegisterType.F32)
        {
            Write(BitConverter.SingleToUInt32Bits((float)raw), point, registers);
            return;
        }

        var whole = decimal.Floor(raw);
        var capacity = Capacity(point.Type);
        var wrapped = whole % capacity;
        if (wrapped < 0)
        {
            wrapped += capacity;
        }

        Write(decimal.ToUInt64(wrapped), point, registers);
    }

    public static void EncodeLive(double value, ModbusPoint point, Span<ushort> registers)
    {
        var raw = double.IsFinite(value) ? value / (double)point.Scale : 0.0;
        if (point.Type == RegisterType.F32)
        {
            Write(BitConverter.SingleToUInt32Bits((float)raw), point, registers);
            return;
        }

        var rounded = Math.Round(raw, MidpointRounding.AwayFromZero);
        ulong bits = point.Type switch
        {
            RegisterType.U16 => (ushort)Math.Clamp(rounded, ushort.MinValue, ushort.MaxValue),
            RegisterType.S16 => unchecked((ushort)(short)Math.Clamp(rounded, short.MinValue, short.MaxValue)),
            RegisterType.U32 => (uint)Math.Clamp(rounded, uint.MinValue, uint.MaxValue),
            RegisterType.S32 => unchecked((uint)(int)Math.Clamp(rounded, int.MinValue, int.MaxValue)),
            _ => rounded <= 0 ? 0UL : rounded >= 1.8e19 ? ulong.MaxValue : (ulong)rounded,
        };
        Write(bits, point, registers);
    }

    /// <summary>Registers of <paramref name="point"/> from its raw bits: high word first (ABCD) or low word first (CDAB).</summary>
    private static void Write(ulong bits, ModbusPoint point, Span<ushort> registers)
    {
        var count = point.RegisterCount;
        for (var i = 0; i < count; i++)
        {
            var shift = 16 * (point.WordOrder == WordOrder.Abcd ? count - 1 - i : i);
            registers[i] = (ushort)((bits >> shift) & 0xFFFF);
        }
    }

    private static decimal Capacity(RegisterType type) => type switch
    {
        RegisterType.U16 or RegisterType.S16 => 65_536m,
        RegisterType.U32 or RegisterType.S32 => 4_294_967_296m,
        _ => 18_446_744_073_709_551_616m,
    };
}
