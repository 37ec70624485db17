using Kilowallet.Simulator.Cli;
using Microsoft.Extensions.Time.Testing;

namespace Kilowallet.Simulator.Tests.Cli;

public sealed class CommandLineTests
{
    [Fact]
    public void The_documented_options_parse()
    {
        var options = SimulatorOptions.Parse(["--profile", "kpm31", "--meters", "8", "--modbus-tcp-port", "15020", "--speed", "60", "--seed", "3",
            "--format", "restaurant", "--event", "malicious:unit=3,kw=2", "--event", "offline:unit=4", "--once"]);
        Assert.Equal("kpm31", options.Profile);
        Assert.Equal(8, options.Meters);
        Assert.Equal(15020, options.ModbusTcpPort);
        Assert.Equal(60, options.Speed);
        Assert.Equal(3, options.Seed);
        Assert.Equal("restaurant", options.Format);
        Assert.Equal(2, options.Events.Count);
        Assert.True(options.Once);
    }

    [Theory]
    [InlineData("--speed", "0", "--speed must be a number greater than zero")]
    [InlineData("--speed", "-1", "--speed must be a number greater than zero")]
    [InlineData("--profile", "acme", "Unknown meter kind 'acme'")]
    [InlineData("--meters", "300", "at most 247 meters")]
    [InlineData("--format", "casino", "Unknown business format 'casino'")]
    [InlineData("--event", "malicious:unit=0,kw=1", "unit id 0")]
    [InlineData("--bogus", "1", "Unknown option '--bogus'")]
    public void Impossible_options_are_refused_with_a_sentence(string option, string value, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => SimulatorOptions.Parse([option, value]));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_once_prints_a_table_of_the_meters_with_the_events_applied()
    {
        var options = SimulatorOptions.Parse(["--meters", "4", "--once", "--start", "2026-03-10T12:00:00+08:00", "--event", "malicious:unit=3,kw=2", "--history", "2d"]);
        var host = new SimulatorHost(options, new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        using var output = new StringWriter();
        Assert.Equal(0, await host.RunAsync(output, TestContext.Current.CancellationToken));
        var text = output.ToString();
        Assert.Contains("2026-03-10 12:00:00 +08:00", text, StringComparison.Ordinal);
        Assert.Contains("KPM31-003", text, StringComparison.Ordinal);
        Assert.Contains("Generated 196 hourly readings", text, StringComparison.Ordinal);
        Assert.Contains("Event 1: malicious:unit=3,kw=2", text, StringComparison.Ordinal);
        var malicious = Assert.Single(host.Control.Events);
        Assert.Equal(["KPM31-003"], malicious.MeterSerials);
        Assert.Equal(4, text.Split('\n').Count(l => l.StartsWith("KPM31-", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_DLT645_profile_gets_a_DLT645_bus_with_12_digit_addresses()
    {
        var mall = CommandLineMall.Build(SimulatorOptions.Parse(["--profile", "dlt645", "--meters", "3"]));
        Assert.Equal(GatewayTransportKind.Dlt645Tcp, mall.Gateways[0].Transport);
        Assert.Equal("000000000002", mall.Meters[1].Dlt645Address);
    }
}
