using System.Globalization;
using System.IO.Ports;

namespace Kilowallet.Protocols.Transport;

/// <summary>Serial line settings. Modbus RTU defaults to 8E1; DL/T 645 to 2400 8E1.</summary>
public sealed record SerialSettings(string PortName, int BaudRate = 9600, Parity Parity = Parity.Even, int DataBits = 8, StopBits StopBits = StopBits.One)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{PortName} {BaudRate} {DataBits}{Parity.ToString()[0]}{(StopBits == StopBits.Two ? 2 : 1)}");

    /// <summary>Parses "none", "even", "odd" (or N/E/O).</summary>
    public static bool TryParseParity(string? text, out Parity parity)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "N" or "NONE":
                parity = Parity.None;
                return true;
            case "E" or "EVEN":
                parity = Parity.Even;
                return true;
            case "O" or "ODD":
                parity = Parity.Odd;
                return true;
            default:
                parity = Parity.None;
                return false;
        }
    }
}
