using Kilowallet.Simulator.Clock;

namespace Kilowallet.Simulator.Cli;

/// <summary>
/// Runs the command-line simulation: builds the clock and the mall, injects the events, starts the protocol
/// servers, and prints a live table until cancelled.
/// </summary>
public sealed class SimulatorHost
{
    private readonly SimulatorOptions _options;
    private readonly TimeProvider _real;
    private readonly List<(string Name, Func<CancellationToken, Task> Run)> _servers = [];

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

    /// <summary>
    /// Adds a server that serves the mall's meters until cancelled (e.g. a Modbus TCP slave on --modbus-tcp-port).
    /// The protocol servers plug in here.
    /// </summary>
    public void AddServer(string name, Func<CancellationToken, Task> run) => _servers.Add((name, run));

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

        if (_options.ModbusTcpPort is { } port && _servers.Count == 0)
        {
            await output.WriteLineAsync($"Note: --modbus-tcp-port {port} accepted; the Modbus TCP server is not plugged in yet.");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = _servers.Select(s => RunServerAsync(s.Name, s.Run, output, stop.Token)).ToList();
        try
        {
            await output.WriteAsync(LiveTable.Render(Mall, Control.ReadMeters(), Clock.Speed));
            if (!_options.Once)
            {
                using var timer = new PeriodicTimer(_options.Refresh, _real);
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    await output.WriteLineAsync();
                    await output.WriteAsync(LiveTable.Render(Mall, Control.ReadMeters(), Clock.Speed));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
        }

        return 0;
    }

    private static async Task RunServerAsync(string name, Func<CancellationToken, Task> run, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await output.WriteLineAsync($"Started {name}.");
            await run(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
