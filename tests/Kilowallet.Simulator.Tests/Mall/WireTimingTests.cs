namespace Kilowallet.Simulator.Tests.Mall;

public sealed class WireTimingTests
{
    [Fact]
    public void A_read_of_20_registers_at_9600_baud_is_about_61_ms_on_the_wire()
    {
        // Request 8 bytes + response 5 + 40 bytes = 53 bytes × 11 bits / 9600.
        Assert.Equal(60.729, WireTiming.FrameTime(53, 9600).TotalMilliseconds, 2);
    }

    [Fact]
    public void T35_is_three_and_a_half_characters_up_to_19200_baud_and_1_75_ms_above()
    {
        Assert.Equal(4.01, WireTiming.T35(9600).TotalMilliseconds, 2);
        Assert.Equal(2.005, WireTiming.T35(19200).TotalMilliseconds, 3);
        Assert.Equal(1.75, WireTiming.T35(38400).TotalMilliseconds, 3);
        Assert.Equal(1.75, WireTiming.T35(115200).TotalMilliseconds, 3);
    }

    [Fact]
    public void A_reply_waits_for_the_wire_and_the_turnaround()
    {
        var delay = WireTiming.ReplyDelay(8, 45, 9600, TimeSpan.FromMilliseconds(20));
        Assert.Equal(80.729, delay.TotalMilliseconds, 2);
    }

    [Fact]
    public void A_poll_cycle_is_N_times_wire_time_two_gaps_and_turnaround()
    {
        var cycle = WireTiming.PollCycle(32, 8, 45, 9600, TimeSpan.FromMilliseconds(20));
        Assert.Equal(32 * (60.729 + (2 * 4.0104) + 20), cycle.TotalMilliseconds, 0);
    }

    [Fact]
    public void A_gateway_without_a_serial_bus_answers_at_once()
    {
        var sim = Infrastructure.TestSim.Of(Infrastructure.TestSim.Meter(kind: "kpm33", area: 200, limitKw: 60));
        Assert.Equal(TimeSpan.Zero, sim.Mall.FindGateway("4G")!.ReplyDelay(8, 45));
        Assert.Equal(WireTiming.ReplyDelay(8, 45, 9600, TimeSpan.FromMilliseconds(20)), sim.Mall.FindGateway("BUS")!.ReplyDelay(8, 45));
    }

    [Fact]
    public void A_baud_rate_of_zero_is_refused()
    {
        Assert.Contains("baud rate", Assert.Throws<ArgumentException>(() => WireTiming.FrameTime(8, 0)).Message, StringComparison.Ordinal);
    }
}
