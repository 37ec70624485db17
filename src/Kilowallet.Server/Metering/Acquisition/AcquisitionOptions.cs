namespace Kilowallet.Server.Metering.Acquisition;

/// <summary>Configuration section "Acquisition": how often meters are read.</summary>
public sealed record AcquisitionOptions
{
    public const string Section = "Acquisition";

    /// <summary>Read every meter's energy registers this often (in the server's time, which a hosted simulator may accelerate).</summary>
    public int EnergyIntervalSeconds { get; init; } = 60;

    /// <summary>Read live values of a meter someone is watching (a detail page) this often.</summary>
    public int LiveIntervalSeconds { get; init; } = 5;

    /// <summary>How long a meter stays watched after the last request for its live values.</summary>
    public int WatchSeconds { get; init; } = 60;

    /// <summary>Retries of one request before the poll counts as failed (each waits the gateway's timeout).</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Failed polls in a row before a meter (or every meter of a gateway) is offline.</summary>
    public int FailuresToOffline { get; init; } = 3;

    /// <summary>Successful polls in a row before an offline meter is online again.</summary>
    public int SuccessesToOnline { get; init; } = 1;

    /// <summary>Turn polling off (e.g. a node that only serves the API).</summary>
    public bool Enabled { get; init; } = true;
}
