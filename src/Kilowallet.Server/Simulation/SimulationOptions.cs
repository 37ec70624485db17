namespace Kilowallet.Server.Simulation;

/// <summary>Configuration section "Simulator": the simulated meters the server hosts in process (Demo Plaza by default).</summary>
public sealed record SimulationOptions
{
    public const string Section = "Simulator";

    /// <summary>Host the simulator for the sites below. Default: on when the demo is on.</summary>
    public bool? Enabled { get; init; }

    /// <summary>How fast simulated time runs (60: a minute a second). The server runs on the same clock.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Codes of the sites whose meters are simulated.</summary>
    public IReadOnlyList<string> Sites { get; init; } = ["DEMO"];

    /// <summary>Days of hourly history generated at first start (so charts and reports are not empty).</summary>
    public int HistoryDays { get; init; } = 21;
}
