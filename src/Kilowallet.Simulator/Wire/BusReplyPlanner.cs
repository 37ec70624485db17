using Kilowallet.Protocols.Transport;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator.Wire;

/// <summary>
/// Decides, for every request a gateway's slave server is about to answer, what the bus does with the reply: nothing
/// while the gateway or the meter is offline; otherwise after the RS485 wire time of the exchange (when the gateway
/// emulates it: request and reply bytes at its baud rate plus the meter's turnaround) and any injected extra delay,
/// with the checksum broken for the injected fraction of replies (seeded, so runs repeat). Delays are real time.
/// </summary>
/// <param name="findMeter">The meter a request addresses (unit id, or DL/T 645 address as a number), or null.</param>
/// <param name="envelopeBytes">
/// Bytes a TCP frame carries beyond the RS485 frame behind the gateway (4 for Modbus TCP: the MBAP header less the unit
/// id, without the CRC), taken off both frames for the wire time.
/// </param>
internal sealed class BusReplyPlanner(VirtualGateway gateway, Func<ulong, VirtualMeter?> findMeter, int envelopeBytes, int seed)
{
    private readonly ulong _seed = ValueNoise.Derive(seed, 40);
    private long _draws;

    public SlaveReplyPlan Plan(SlaveExchange exchange)
    {
        if (gateway.IsOffline)
        {
            return SlaveReplyPlan.Dropped;
        }

        if (exchange.IsBroadcast || findMeter(exchange.DeviceAddress) is not { } meter)
        {
            return SlaveReplyPlan.Immediate;
        }

        var communication = meter.Communication;
        if (communication.Silent)
        {
            return SlaveReplyPlan.Dropped;
        }

        var delay = gateway.ReplyDelay(Math.Max(0, exchange.RequestBytes - envelopeBytes), Math.Max(0, exchange.ResponseBytes - envelopeBytes))
            + communication.ExtraDelay;
        var corrupt = communication.CrcErrorFraction > 0
            && (ValueNoise.Unit(_seed, Interlocked.Increment(ref _draws)) + 1.0) / 2.0 < communication.CrcErrorFraction;
        return new SlaveReplyPlan(WholeMilliseconds(delay), corrupt ? SlaveReplyAction.CorruptChecksum : SlaveReplyAction.Reply);
    }

    /// <summary>Rounded up: timers count whole milliseconds and would otherwise cut the fraction off.</summary>
    private static TimeSpan WholeMilliseconds(TimeSpan delay) =>
        TimeSpan.FromMilliseconds(Math.Ceiling(delay.TotalMilliseconds));
}
