using Kilowallet.Simulator.Cli;

namespace Kilowallet.Simulator;

/// <summary>dotnet run --project src/Kilowallet.Simulator -- --profile kpm31 --meters 8 --speed 60 --event "malicious:unit=3,kw=2"</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        SimulatorOptions options;
        SimulatorHost host;
        try
        {
            options = SimulatorOptions.Parse(args);
            if (options.Help)
            {
                Console.WriteLine(SimulatorOptions.Usage);
                return 0;
            }

            host = new SimulatorHost(options, TimeProvider.System);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(Sentence(e));
            return 2;
        }

        // Protocol servers plug in here once merged, e.g.:
        // if (options.ModbusTcpPort is { } port) host.AddServer($"Modbus TCP gateway on port {port}", ct => ModbusTcpSlave.RunAsync(host.Mall.Gateways[0], port, ct));
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            return await host.RunAsync(Console.Out, cancel.Token);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(Sentence(e));
            return 2;
        }
    }

    /// <summary>The message without the " (Parameter 'x')" suffix: the sentence already names the setting.</summary>
    private static string Sentence(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
}
