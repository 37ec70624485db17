namespace Kilowallet.Simulator;

/// <summary>
/// RS485 wire time (PROTOCOLS.md §1.4): a character is 11 bits; frames are separated by t3.5 (3.5 characters up
/// to 19200 baud, 1.75 ms above). These are real (physical) durations: the protocol adapter delays replies with
/// the real time provider, whatever the simulation speed.
/// </summary>
public static class WireTiming
{
    public const int BitsPerCharacter = 11;

    /// <summary>Time to send <paramref name="bytes"/> at <paramref name="baud"/>: bytes × 11 / baud.</summary>
    public static TimeSpan FrameTime(int bytes, int baud)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ValidateBaud(baud);
        return TimeSpan.FromTicks(Ceiling((long)bytes * BitsPerCharacter * TimeSpan.TicksPerSecond, baud));
    }

    /// <summary>The inter-frame silence t3.5: 3.5 characters up to 19200 baud, 1.75 ms above.</summary>
    public static TimeSpan T35(int baud)
    {
        ValidateBaud(baud);
        return baud > 19200
            ? TimeSpan.FromTicks(17_500)
            : TimeSpan.FromTicks(Ceiling(35L * BitsPerCharacter * TimeSpan.TicksPerSecond, 10L * baud));
    }

    /// <summary>
    /// How long after receiving a request a bus emulator should answer: the request and the reply on the wire plus
    /// the meter's turnaround — (q + r) × 11 / baud + turnaround.
    /// </summary>
    public static TimeSpan ReplyDelay(int requestBytes, int responseBytes, int baud, TimeSpan turnaround) =>
        FrameTime(requestBytes + responseBytes, baud) + turnaround;

    /// <summary>
    /// The physical limit of one poll cycle on one bus: N × ((q + r) × 11 / baud + 2 × t3.5 + turnaround).
    /// E.g. 32 meters, 8-byte requests, 45-byte replies at 9600 baud with 20 ms turnaround: about 2.9 s.
    /// </summary>
    public static TimeSpan PollCycle(int meters, int requestBytes, int responseBytes, int baud, TimeSpan turnaround)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(meters);
        var one = FrameTime(requestBytes + responseBytes, baud) + T35(baud) + T35(baud) + turnaround;
        return TimeSpan.FromTicks(checked(one.Ticks * meters));
    }

    private static void ValidateBaud(int baud)
    {
        if (baud <= 0)
        {
            throw new ArgumentException($"The baud rate must be greater than zero (got {baud}).", nameof(baud));
        }
    }

    private static long Ceiling(long numerator, long denominator) => (numerator + denominator - 1) / denominator;
}
