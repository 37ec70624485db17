using System.Globalization;
using Kilowallet.Simulator.Clock;
using Kilowallet.Simulator.Control;
using Kilowallet.Simulator.Wire;

namespace Kilowallet.Simulator.Cli;

/// <summary>
/// Runs the command-line simulation: builds the clock and the mall, injects the events, puts the meters on the wire
/// (the gateway port or MQTT broker the options give) and the control API on its port, and prints a live table until
/// cancelled. Each server prints a line "… listening on ADDRESS" once it is bound.
/// </summary>
public sealed class SimulatorHost
{
    private readonly SimulatorOptions _options;
    private readonly TimeProvider _real;

    public SimulatorHost(SimulatorOptions options, TimeProvider real)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(real);
        _options = options;
        _real = real;
        Clock = new SimulationClock(real, options.Start ?? real.GetUtcNow(), options.Speed);
        Mall = SimulatedMall.Create(CommandLineMall.Build(options), Clock);
        Control = new SimulationControl(Mall, Clock);
    }

    public SimulationClock Clock { get; }

    public SimulatedMall Mall { get; }

    public ISimulationControl Control { get; }

    public async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_options.History > TimeSpan.Zero)
        {
            var from = Mall.Now - _options.History;
            var started = _real.GetTimestamp();
            var history = Mall.GenerateHistory(from, TimeSpan.FromHours(1));
            await output.WriteLineAsync($"Generated {history.Meters.Sum(m => m.Readings.Count)} hourly readings from {from:yyyy-MM-dd HH:mm}Z in {_real.GetElapsedTime(started).TotalMilliseconds:0} ms.");
        }

        foreach (var spec in _options.Events)
        {
            var id = Control.Inject(spec);
            await output.WriteLineAsync($"Event {id}: {spec}");
        }

        await using var wire = _options.ServesWire ? await StartWireAsync(output, cancellationToken) : null;
        await using var control = _options.ControlPort is { } controlPort ? await ControlApiHost.StartAsync(Control, _options.Bind, controlPort, cancellationToken) : null;
        if (control is not null)
        {
            await output.WriteLineAsync($"Control API listening on {control.Address}");
        }

        try
        {
            await output.WriteAsync(LiveTable.Render(Mall, Control.ReadMeters(), Clock.Speed));
            if (!_options.Once)
            {
                using var timer = new PeriodicTimer(_options.Refresh, _real);
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    await output.WriteLineAsync();
                    await output.WriteAsync(LiveTable.Render(Mall, Control.ReadMeters(), Clock.Speed));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return 0;
    }

    private async Task<SimulatedMallServers> StartWireAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var gateway = Mall.Gateways[0];
        var options = new WireOptions
        {
            Address = _options.Bind,
            Ports = _options.GatewayPort is { } port ? new Dictionary<string, int>(StringComparer.Ordinal) { [gateway.Name] = port } : new Dictionary<string, int>(StringComparer.Ordinal),
            Mqtt = _options.Mqtt,
            TelemetryInterval = _options.TelemetryInterval,
            RealTime = _real,
            Seed = _options.Seed,
        };
        var servers = await SimulatedMallServers.StartAsync(Mall, options, cancellationToken);
        var c = CultureInfo.InvariantCulture;
        var wireTime = gateway.Definition.EmulateWireTime
            ? string.Create(c, $"wire time at {gateway.Definition.BaudRate} baud + {gateway.Definition.Turnaround.TotalMilliseconds:0} ms turnaround")
            : "no wire time";
        var description = gateway.Transport switch
        {
            GatewayTransportKind.ModbusTcp => $"Modbus TCP gateway {gateway.Name} ({gateway.Meters.Count} meters at unit ids {gateway.Meters[0].UnitId}..{gateway.Meters[^1].UnitId}, {wireTime})",
            GatewayTransportKind.RtuOverTcp => $"RTU-over-TCP DTU {gateway.Name} ({gateway.Meters.Count} meters at unit ids {gateway.Meters[0].UnitId}..{gateway.Meters[^1].UnitId}, {wireTime})",
            GatewayTransportKind.Dlt645Tcp => $"DL/T 645 serial server {gateway.Name} ({gateway.Meters.Count} meters at addresses {gateway.Meters[0].Dlt645Address}..{gateway.Meters[^1].Dlt645Address}, {wireTime})",
            _ => null,
        };
        if (description is not null)
        {
            await output.WriteLineAsync($"{description} listening on {servers.EndPointOf(gateway.Name)}");
        }
        else
        {
            await output.WriteLineAsync(string.Create(c, $"{gateway.Meters.Count} 4G meters publishing to the MQTT broker {_options.Mqtt} every {_options.TelemetryInterval.TotalSeconds:0.###} simulated s (topics meters/{{serial}}/telemetry, cmd, cmd/ack)"));
        }

        return servers;
    }
}
