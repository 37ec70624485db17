using System.Text;
using Kilowallet.Protocols.Modbus;

namespace Kilowallet.Protocols.Tests.Modbus;

public sealed class CrcTests
{
    [Fact]
    public void Crc_of_ascii_123456789_is_the_check_value() =>
        Assert.Equal(0x4B37, Crc16Modbus.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Theory]
    [InlineData("01 03 00 00 00 0A", "C5 CD")]
    [InlineData("01 03 00 00 00 01", "84 0A")]
    [InlineData("11 03 00 6B 00 03", "76 87")]
    [InlineData("11 03 06 02 2B 00 00 00 64", "C8 BA")]
    [InlineData("11 01 00 13 00 25", "0E 84")]
    [InlineData("11 01 05 CD 6B B2 0E 1B", "45 E6")]
    [InlineData("11 02 00 C4 00 16", "BA A9")]
    [InlineData("11 04 00 08 00 01", "B2 98")]
    [InlineData("11 04 02 00 0A", "F8 F4")]
    [InlineData("11 05 00 AC FF 00", "4E 8B")]
    [InlineData("01 05 00 00 FF 00", "8C 3A")]
    [InlineData("11 06 00 01 00 03", "9A 9B")]
    [InlineData("11 0F 00 13 00 0A 02 CD 01", "BF 0B")]
    [InlineData("11 10 00 01 00 02 04 00 0A 01 02", "C6 F0")]
    [InlineData("11 10 00 01 00 02", "12 98")]
    [InlineData("11 83 02", "C1 34")]
    [InlineData("01 04 04 43 66 33 34", "1B 38")]
    public void Crc_of_spec_example_matches_known_vector(string frame, string crcOnWire)
    {
        var bytes = Hex.Bytes(frame);
        Span<byte> crc = stackalloc byte[2];
        Crc16Modbus.Append(bytes, crc);
        Assert.Equal(crcOnWire, Hex.Text(crc));
        Assert.True(Crc16Modbus.Check([.. bytes, .. crc.ToArray()]));
    }

    [Fact]
    public void Table_driven_crc_equals_the_bitwise_definition_on_random_data()
    {
        var random = new Random(645);
        for (var n = 0; n < 200; n++)
        {
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            Assert.Equal(Bitwise(data), Crc16Modbus.Compute(data));
        }
    }

    private static ushort Bitwise(byte[] data)
    {
        var crc = 0xFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
            }
        }

        return (ushort)crc;
    }
}
