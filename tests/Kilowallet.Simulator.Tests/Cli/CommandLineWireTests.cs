using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kilowallet.Protocols.Dlt645;
using Kilowallet.Simulator.Cli;
using Kilowallet.Simulator.Control;
using Kilowallet.Simulator.Tests.Infrastructure;

namespace Kilowallet.Simulator.Tests.Cli;

public sealed partial class CommandLineWireTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    private static ToolProcess StartSimulator(params string[] arguments) =>
        ToolProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Kilowallet.Simulator.dll"), .. arguments]);

    [Theory]
    [InlineData("kpm31", "4", "17", 2200, 2400)] // holding register 0x0010: voltage × 10
    [InlineData("sdm120", "3:float", "1", 220, 240)] // input registers 0x0000–1: voltage, float high word first (-B)
    public async Task The_documented_command_line_serves_a_bus_of_8_meters_that_mbpoll_reads(string profile, string type, string reference, double low, double high)
    {
        var ct = TestContext.Current.CancellationToken;
        var mbpoll = ExternalTools.Require("mbpoll");
        var port = WireMall.FreePort().ToString(CultureInfo.InvariantCulture);
        await using var simulator = StartSimulator("--profile", profile, "--meters", "8", "--modbus-tcp-port", port);
        await simulator.WaitForLineAsync("listening on 127.0.0.1:" + port, Startup, ct);

        await using var poll = ToolProcess.Start(mbpoll, ["-m", "tcp", "-a", "8", "-r", reference, "-c", "1", "-t", type, .. (type.EndsWith(":float", StringComparison.Ordinal) ? ["-B"] : Array.Empty<string>()), "-1", "-p", port, "127.0.0.1"]);
        Assert.Equal(0, await poll.WaitForExitAsync(TimeSpan.FromSeconds(20), ct));

        var match = Register().Match(poll.Output);
        Assert.True(match.Success, poll.Output);
        Assert.InRange(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), low, high);
    }

    [Fact]
    public async Task The_command_line_serves_a_DLT645_bus_and_the_control_API_whose_events_show_on_the_wire()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = WireMall.FreePort();
        await using var simulator = StartSimulator("--profile", "dlt645", "--meters", "2", "--dlt645-port", port.ToString(CultureInfo.InvariantCulture), "--control-port", "0", "--no-wire-time");
        await simulator.WaitForLineAsync("Control API listening on", Startup, ct);
        var url = ControlUrl().Match(simulator.Output).Groups[1].Value;
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        await using var master = Dlt645Master.CreateTcp("127.0.0.1", port);
        var address = Dlt645Address.Parse("000000000002");

        Assert.True((await http.PostAsJsonAsync("events", new EventRequest("offline:address=000000000002"), ct)).IsSuccessStatusCode);
        var offline = await master.ReadValueAsync(address, Dlt645DataIdentifier.VoltageA, null, ct);
        var other = await master.ReadValueAsync(Dlt645Address.Parse("000000000001"), Dlt645DataIdentifier.VoltageA, null, ct);

        Assert.Equal(Protocols.Transport.ExchangeStatus.Timeout, offline.Status);
        Assert.InRange(other.Value, 220m, 240m);
    }

    [Theory]
    [InlineData(new[] { "--modbus-tcp-port", "1502", "--dlt645-port", "1503" }, "give one of --modbus-tcp-port, --dlt645-port")]
    [InlineData(new[] { "--transport", "mqtt", "--modbus-tcp-port", "1502" }, "--transport mqtt disagrees with --modbus-tcp-port")]
    [InlineData(new[] { "--mqtt", "localhost" }, "An MQTT broker is written host:port")]
    [InlineData(new[] { "--bind", "mall.local" }, "--bind must be an IP address")]
    [InlineData(new[] { "--control-port", "70000" }, "--control-port must be a whole number from 0 to 65535")]
    public void Conflicting_or_impossible_serving_options_are_refused_with_a_sentence(string[] arguments, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => SimulatorOptions.Parse(arguments));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_serving_option_chooses_the_gateways_transport()
    {
        Assert.Equal(GatewayTransportKind.RtuOverTcp, CommandLineMall.Build(SimulatorOptions.Parse(["--rtu-over-tcp-port", "0"])).Gateways[0].Transport);
        Assert.Equal(GatewayTransportKind.Mqtt, CommandLineMall.Build(SimulatorOptions.Parse(["--profile", "kpm33", "--mqtt", "127.0.0.1:1883"])).Gateways[0].Transport);
        Assert.False(CommandLineMall.Build(SimulatorOptions.Parse(["--modbus-tcp-port", "0", "--no-wire-time"])).Gateways[0].EmulateWireTime);
    }

    [Fact]
    public async Task A_profile_without_a_map_for_the_chosen_transport_is_refused_with_a_sentence()
    {
        var host = new SimulatorHost(SimulatorOptions.Parse(["--profile", "sdm630", "--dlt645-port", "0", "--once"]), TimeProvider.System);
        using var output = new StringWriter();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => host.RunAsync(output, TestContext.Current.CancellationToken));

        Assert.Contains("profile sdm630 has no DL/T 645 map", e.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\[\d+\]:\s+(-?[0-9.]+)")]
    private static partial Regex Register();

    [GeneratedRegex(@"Control API listening on (\S+)")]
    private static partial Regex ControlUrl();
}
