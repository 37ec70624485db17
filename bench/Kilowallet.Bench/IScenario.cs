namespace Kilowallet.Bench;

/// <summary>A benchmark scenario: it measures and prints its figures through <see cref="Report"/>.</summary>
internal interface IScenario
{
    string Name { get; }

    string Description { get; }

    Task RunAsync(Report report, bool quick, CancellationToken cancellationToken);
}
