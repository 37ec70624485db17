using System.Globalization;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator.Cli;

/// <summary>The mall the command line simulates: one gateway ("BUS-1") with N meters of one kind.</summary>
public static class CommandLineMall
{
    public const string GatewayName = "BUS-1";

    private static readonly LoadFormat[] Mixed = [LoadFormat.Apparel, LoadFormat.Electronics, LoadFormat.Restaurant, LoadFormat.Services];

    public static MallDefinition Build(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var kind = MeterKinds.Find(options.Profile);
        var transport = options.Transport ?? SimulatorOptions.DefaultTransport(kind);
        var threePhase = kind.Phases == 3;
        var area = options.AreaM2 ?? (threePhase ? 300m : 60m);
        var limit = options.LimitKw ?? (threePhase ? 60m : 10m);
        var meters = new List<MeterDefinition>();
        for (var i = 1; i <= options.Meters; i++)
        {
            var format = options.Format == "mixed" ? Mixed[(i - 1) % Mixed.Length] : LoadFormats.Parse(options.Format);
            var dlt645 = GatewayTransports.UsesDlt645Addresses(transport);
            meters.Add(new MeterDefinition(
                $"{kind.Name.ToUpperInvariant()}-{i.ToString("D3", CultureInfo.InvariantCulture)}",
                kind.Name,
                GatewayName,
                dlt645 || i > 247 ? null : i,
                dlt645 ? i.ToString("D12", CultureInfo.InvariantCulture) : null,
                format,
                area,
                limit,
                options.CtRatio,
                kind.Phases,
                unchecked((options.Seed * 1_000_003) + i))
            {
                AutoPressDelay = options.AutoPress,
            });
        }

        var gateway = new GatewayDefinition(GatewayName, transport) { BaudRate = options.BaudRate, Turnaround = options.Turnaround, EmulateWireTime = options.EmulateWireTime };
        return new MallDefinition("Command-line mall", [gateway], meters) { TimeZone = options.TimeZone, Seed = options.Seed };
    }
}
