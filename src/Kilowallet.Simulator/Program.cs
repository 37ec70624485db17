using Kilowallet.Simulator.Cli;

namespace Kilowallet.Simulator;

/// <summary>dotnet run --project src/Kilowallet.Simulator -- --profile kpm31 --meters 8 --modbus-tcp-port 15020 --speed 60 --event "malicious:unit=3,kw=2"</summary>
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
            await Console.Error.WriteLineAsync(Sentence.Of(e));
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            cancel.Cancel();
        });

        try
        {
            return await host.RunAsync(Console.Out, cancel.Token);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(Sentence.Of(e));
            return 2;
        }
        catch (IOException e)
        {
            // A port already in use (Kestrel) and the like: one sentence, not a stack trace.
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await Console.Error.WriteLineAsync($"Cannot listen: {e.Message}.");
            return 1;
        }
    }
}
