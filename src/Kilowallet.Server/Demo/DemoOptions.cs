namespace Kilowallet.Server.Demo;

/// <summary>Configuration section "Demo": the built-in Demo Plaza.</summary>
public sealed record DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Seed Demo Plaza into an empty database at first start (turn off with --no-demo).</summary>
    public bool Enabled { get; init; } = true;
}
