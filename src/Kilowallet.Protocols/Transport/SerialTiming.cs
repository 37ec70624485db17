namespace Kilowallet.Protocols.Transport;

/// <summary>Timing of an RS485 line (PROTOCOLS.md §1.4): a character is 11 bits.</summary>
public static class SerialTiming
{
    public const int BitsPerCharacter = 11;

    /// <summary>Time to send <paramref name="bytes"/> at <paramref name="baud"/>.</summary>
    public static TimeSpan WireTime(int bytes, int baud)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baud, 1);
        return TimeSpan.FromTicks((long)bytes * BitsPerCharacter * TimeSpan.TicksPerSecond / baud);
    }

    /// <summary>The RTU inter-frame silence: 3.5 characters up to 19200 baud, 1.75 ms above.</summary>
    public static TimeSpan T35(int baud)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baud, 1);
        return baud > 19200
            ? TimeSpan.FromTicks(17_500)
            : TimeSpan.FromTicks(35L * BitsPerCharacter * TimeSpan.TicksPerSecond / (10L * baud));
    }
}
