using System.Globalization;
using System.Net;
using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;
using Kilowallet.Simulator.Wire;

namespace Kilowallet.Simulator.Cli;

/// <summary>Command-line options of the simulator (see README.md). Parsing refuses bad values with a sentence naming the option.</summary>
public sealed record SimulatorOptions
{
    public string Profile { get; init; } = "kpm31";

    public int Meters { get; init; } = 8;

    /// <summary>A format name, or "mixed" (apparel, electronics, restaurant, services in turn).</summary>
    public string Format { get; init; } = "mixed";

    public decimal? AreaM2 { get; init; }

    public decimal? LimitKw { get; init; }

    public decimal CtRatio { get; init; } = 1;

    public GatewayTransportKind? Transport { get; init; }

    public int BaudRate { get; init; } = 9600;

    public TimeSpan Turnaround { get; init; } = TimeSpan.FromMilliseconds(20);

    public bool EmulateWireTime { get; init; } = true;

    public int? ModbusTcpPort { get; init; }

    public int? RtuOverTcpPort { get; init; }

    public int? Dlt645Port { get; init; }

    /// <summary>The broker the meters publish to (they are 4G meters on an MQTT gateway).</summary>
    public MqttBroker? Mqtt { get; init; }

    public TimeSpan TelemetryInterval { get; init; } = TimeSpan.FromSeconds(60);

    public int? ControlPort { get; init; }

    /// <summary>The address the gateway and the control API listen on.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>The port of the meters' gateway, whichever transport option gave it (null: not served, or MQTT).</summary>
    public int? GatewayPort => ModbusTcpPort ?? RtuOverTcpPort ?? Dlt645Port;

    /// <summary>Whether the meters are put on the wire (a gateway port or an MQTT broker was given).</summary>
    public bool ServesWire => GatewayPort is not null || Mqtt is not null;

    public double Speed { get; init; } = 1;

    public int Seed { get; init; } = 1;

    public DateTimeOffset? Start { get; init; }

    public string TimeZone { get; init; } = MallCalendar.DefaultTimeZone;

    public IReadOnlyList<string> Events { get; init; } = [];

    public TimeSpan Refresh { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan History { get; init; } = TimeSpan.Zero;

    public TimeSpan? AutoPress { get; init; }

    public bool Once { get; init; }

    public bool Help { get; init; }

    public const string Usage = """
        Kilowallet simulator: a simulated mall of virtual meters.

          --profile KIND          meter kind: kpm31 (default), kpm33, kpm37, sdm120, sdm630, ddsu666, dtsu666, dlt645
          --meters N              number of meters (default 8; at most 247 on a Modbus bus)
          --format NAME           supermarket, restaurant, apparel, electronics, services, cinema, public-lighting,
                                  escalators, hvac, other, or mixed (default: apparel/electronics/restaurant/services)
          --area M2               floor area per shop (default 60 single-phase, 300 three-phase)
          --limit-kw KW           power limit per shop, primary side (default 10 single-phase, 60 three-phase)
          --ct RATIO              CT ratio (default 1)
          --transport T           modbus-tcp, rtu-over-tcp, dlt645-tcp, mqtt (default from the kind)
          --baud N                RS485 baud rate for wire-time emulation (default 9600)
          --turnaround-ms MS      meter turnaround (default 20)
          --no-wire-time          answer at once instead of after the RS485 wire time at --baud
          --modbus-tcp-port PORT  serve the meters as a Modbus TCP gateway on PORT (unit ids 1..N; 0: a free port)
          --rtu-over-tcp-port PORT  serve them as a DTU tunnelling Modbus RTU frames over TCP on PORT
          --dlt645-port PORT      serve them as a DL/T 645 serial server over TCP on PORT (addresses 000000000001..)
          --mqtt HOST:PORT        make them 4G meters publishing to the MQTT broker at HOST:PORT
          --telemetry SECONDS     simulated seconds between two telemetry messages of a 4G meter (default 60)
          --control-port PORT     serve the HTTP control API on PORT (0: a free port)
          --bind ADDRESS          address the gateway and the control API listen on (default 127.0.0.1)
          --speed X               simulated seconds per real second (default 1; 60 = a minute per second)
          --seed N                seed of the random variation (default 1)
          --start INSTANT         simulated start, ISO 8601 (default now)
          --time-zone ZONE        IANA zone of the mall (default Asia/Shanghai)
          --history DURATION      generate this much history first, e.g. 21d (prints a summary)
          --auto-press DURATION   close-allowed meters: the tenant presses the button this long after a close is allowed
          --event SPEC            inject an event (repeatable), e.g. "malicious:unit=3,kw=2", "sag:v=185,for=10m",
                                  "phase-loss:unit=2,phase=B", "offline:unit=4", "gateway-offline", "slow:ms=300",
                                  "crc:fraction=0.1", "reset:unit=1", "drift:unit=1,s=600", "bypass:unit=5", "overload:unit=6"
          --refresh SECONDS       real seconds between tables (default 5)
          --once                  print one table and exit
          --help                  this text
        """;

    public static SimulatorOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new SimulatorOptions();
        var events = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"Option {name} needs a value.", nameof(args));
                }

                return args[++i];
            }

            options = name switch
            {
                "--profile" => options with { Profile = MeterKinds.Find(Value()).Name },
                "--meters" => options with { Meters = Int(name, Value(), 1, 100_000) },
                "--format" => options with { Format = FormatName(Value()) },
                "--area" => options with { AreaM2 = Dec(name, Value(), 0, 1_000_000) },
                "--limit-kw" => options with { LimitKw = Dec(name, Value(), 0.001m, 100_000) },
                "--ct" => options with { CtRatio = Dec(name, Value(), 1, 10_000) },
                "--transport" => options with { Transport = GatewayTransports.Parse(Value()) },
                "--baud" => options with { BaudRate = Int(name, Value(), 1, 1_000_000) },
                "--turnaround-ms" => options with { Turnaround = TimeSpan.FromMilliseconds(Int(name, Value(), 0, 60_000)) },
                "--no-wire-time" => options with { EmulateWireTime = false },
                "--modbus-tcp-port" => options with { ModbusTcpPort = Int(name, Value(), 0, 65_535) },
                "--rtu-over-tcp-port" => options with { RtuOverTcpPort = Int(name, Value(), 0, 65_535) },
                "--dlt645-port" => options with { Dlt645Port = Int(name, Value(), 0, 65_535) },
                "--mqtt" => options with { Mqtt = MqttBroker.Parse(Value()) },
                "--telemetry" => options with { TelemetryInterval = TimeSpan.FromSeconds(Dbl(name, Value(), 1, 86_400)) },
                "--control-port" => options with { ControlPort = Int(name, Value(), 0, 65_535) },
                "--bind" => options with { Bind = Address(Value()) },
                "--speed" => options with { Speed = ParseSpeed(Value()) },
                "--seed" => options with { Seed = Int(name, Value(), int.MinValue, int.MaxValue) },
                "--start" => options with { Start = Instant(Value()) },
                "--time-zone" => options with { TimeZone = MallCalendar.FindZone(Value()).Id },
                "--history" => options with { History = Span(name, Value()) },
                "--auto-press" => options with { AutoPress = Span(name, Value()) },
                "--event" => Add(options, events, Value()),
                "--refresh" => options with { Refresh = TimeSpan.FromSeconds(Dbl(name, Value(), 0.1, 3600)) },
                "--once" => options with { Once = true },
                "--help" or "-h" or "-?" => options with { Help = true },
                _ => throw new ArgumentException($"Unknown option '{name}'; --help lists the options.", nameof(args)),
            };
        }

        options = options with { Events = events, Transport = ServedTransport(options) };
        var kind = MeterKinds.Find(options.Profile);
        var transport = options.Transport ?? DefaultTransport(kind);
        if (GatewayTransports.UsesUnitIds(transport) && options.Meters > 247)
        {
            throw new ArgumentException($"A Modbus bus holds at most 247 meters (unit ids 1–247); --meters {options.Meters} is too many.", nameof(args));
        }

        return options;
    }

    public static GatewayTransportKind DefaultTransport(MeterKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind.Name switch
        {
            "dlt645" => GatewayTransportKind.Dlt645Tcp,
            "kpm33" or "kpm37" => GatewayTransportKind.Mqtt,
            _ => GatewayTransportKind.ModbusTcp,
        };
    }

    /// <summary>The transport the serving option implies (the command-line mall has one gateway, so at most one).</summary>
    private static GatewayTransportKind? ServedTransport(SimulatorOptions options)
    {
        var given = new List<(string Option, GatewayTransportKind Kind)>();
        if (options.ModbusTcpPort is not null)
        {
            given.Add(("--modbus-tcp-port", GatewayTransportKind.ModbusTcp));
        }

        if (options.RtuOverTcpPort is not null)
        {
            given.Add(("--rtu-over-tcp-port", GatewayTransportKind.RtuOverTcp));
        }

        if (options.Dlt645Port is not null)
        {
            given.Add(("--dlt645-port", GatewayTransportKind.Dlt645Tcp));
        }

        if (options.Mqtt is not null)
        {
            given.Add(("--mqtt", GatewayTransportKind.Mqtt));
        }

        if (given.Count > 1)
        {
            throw new ArgumentException($"The command-line mall has one gateway: give one of {string.Join(", ", given.Select(g => g.Option))}, not all of them.", nameof(options));
        }

        if (given.Count == 0)
        {
            return options.Transport;
        }

        var (option, kind) = given[0];
        if (options.Transport is { } transport && transport != kind)
        {
            throw new ArgumentException($"--transport {GatewayTransports.NameOf(transport)} disagrees with {option}, which serves {GatewayTransports.NameOf(kind)}.", nameof(options));
        }

        return kind;
    }

    private static IPAddress Address(string text) =>
        IPAddress.TryParse(text, out var address)
            ? address
            : throw new ArgumentException($"--bind must be an IP address such as 127.0.0.1 or 0.0.0.0 (got '{text}').", nameof(text));

    private static SimulatorOptions Add(SimulatorOptions options, List<string> events, string spec)
    {
        EventSpec.Parse(spec, "BUS-1"); // refuse a bad spec now, with its message
        events.Add(spec);
        return options;
    }

    private static string FormatName(string text) =>
        string.Equals(text, "mixed", StringComparison.OrdinalIgnoreCase) ? "mixed" : LoadFormats.NameOf(LoadFormats.Parse(text));

    private static double ParseSpeed(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) || !(speed > 0) || double.IsInfinity(speed))
        {
            throw new ArgumentException($"--speed must be a number greater than zero (got '{text}').", nameof(text));
        }

        return speed;
    }

    private static int Int(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max} (got '{text}').", nameof(text));

    private static decimal Dec(string name, string text, decimal min, decimal max) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a number from {min} to {max} (got '{text}').", nameof(text));

    private static double Dbl(string name, string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a number from {min} to {max} (got '{text}').", nameof(text));

    private static TimeSpan Span(string name, string text)
    {
        var span = EventSpec.Duration(text, name, name);
        return span >= TimeSpan.Zero ? span : throw new ArgumentException($"{name} cannot be negative (got '{text}').", nameof(text));
    }

    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : throw new ArgumentException($"--start must be an ISO 8601 instant such as 2026-07-15T09:00:00+08:00 (got '{text}').", nameof(text));
}
