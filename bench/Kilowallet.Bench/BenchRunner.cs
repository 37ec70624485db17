using System.Diagnostics;
using Kilowallet.Bench.Scenarios;

namespace Kilowallet.Bench;

/// <summary>
/// dotnet run -c Release --project bench/Kilowallet.Bench -- &lt;scenario&gt;|all|list [--quick]
/// </summary>
internal static class BenchRunner
{
    private static readonly IScenario[] Scenarios =
    [
        new SqliteRawInsertScenario(),
        new ProtocolCodecScenario(),
        new SimulatorScenario(),
        new SimulatorWireScenario(),
        new RatingScenario(),
        new BillingScenario(),
        new ConsoleScenario(),
        new ControlScenario(),
        new ReportsScenario(),
        new LedgerScenario(),
        new AcquisitionScenario(),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick", StringComparer.Ordinal);
        var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (names.Count == 0 || names[0] == "list")
        {
            Console.WriteLine("Scenarios (run one, several, or 'all'; add --quick for a run under a minute):");
            foreach (var scenario in Scenarios)
            {
                Console.WriteLine($"  {scenario.Name,-20} {scenario.Description}");
            }

            return names.Count == 0 ? 1 : 0;
        }

        List<IScenario?> selected = names[0] == "all"
            ? [.. Scenarios]
            : [.. names.Select(n => Scenarios.FirstOrDefault(s => s.Name == n))];
        if (selected.Any(s => s is null))
        {
            await Console.Error.WriteLineAsync($"Unknown scenario; known: {string.Join(", ", Scenarios.Select(s => s.Name))}.");
            return 1;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Report.Note($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {(quick ? "quick" : "full")} run");
        foreach (var scenario in selected)
        {
            var watch = Stopwatch.StartNew();
            Report.Note($"{scenario!.Name}: {scenario.Description}");
            await scenario.RunAsync(new Report(scenario.Name), quick, cancel.Token);
            Report.Note($"{scenario.Name} took {watch.Elapsed.TotalSeconds:0.0} s");
        }

        return 0;
    }
}
