using Kilowallet.Protocols.Profiles;

namespace Kilowallet.Protocols.Reading;

/// <summary>Turns registers into numbers by type and word order (bytes within a register are big-endian).</summary>
public static class RegisterDecoder
{
    /// <summary>Integer types decode to <paramref name="whole"/>; f32 to <paramref name="real"/>.</summary>
    public static void Decode(ReadOnlySpan<ushort> registers, RegisterType type, WordOrder order, out decimal? whole, out double real)
    {
        whole = null;
        real = 0;
        switch (type)
        {
            case RegisterType.U16:
                whole = registers[0];
                return;
            case RegisterType.S16:
                whole = unchecked((short)registers[0]);
                return;
            case RegisterType.U64:
                {
                    ulong value = 0;
                    for (var i = 0; i < 4; i++)
                    {
                        value = (value << 16) | registers[order == WordOrder.Abcd ? i : 3 - i];
                    }

                    whole = value;
                    return;
                }

            default:
                {
                    var bits = order == WordOrder.Abcd
                        ? ((uint)registers[0] << 16) | registers[1]
                        : ((uint)registers[1] << 16) | registers[0];
                    switch (type)
                    {
                        case RegisterType.U32:
                            whole = bits;
                            return;
                        case RegisterType.S32:
                            whole = unchecked((int)bits);
                            return;
                        default:
                            real = BitConverter.UInt32BitsToSingle(bits);
                            return;
                    }
                }
        }
    }
}
