namespace Kilowallet.Protocols.Transport;

/// <summary>How a slave server answers one request: after a delay, or not at all, or with a bad checksum.</summary>
public readonly record struct SlaveReplyPlan(TimeSpan Delay, SlaveReplyAction Action)
{
    public static SlaveReplyPlan Immediate => new(TimeSpan.Zero, SlaveReplyAction.Reply);

    public static SlaveReplyPlan Dropped => new(TimeSpan.Zero, SlaveReplyAction.Drop);

    /// <summary>
    /// The time an RS485 exchange takes: request and reply on the wire at <paramref name="baud"/>
    /// (11 bits a byte) plus the meter's <paramref name="turnaround"/>.
    /// </summary>
    public static SlaveReplyPlan Rs485(in SlaveExchange exchange, int baud, TimeSpan turnaround) =>
        new(SerialTiming.WireTime(exchange.RequestBytes + exchange.ResponseBytes, baud) + turnaround, SlaveReplyAction.Reply);
}
