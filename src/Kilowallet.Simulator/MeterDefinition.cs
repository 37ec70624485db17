using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator;

/// <summary>
/// One virtual meter as the server describes it (from its database, e.g. Demo Plaza): what it is, where it is
/// addressed, and what it feeds.
/// </summary>
/// <param name="Serial">Unique within the mall.</param>
/// <param name="Kind">Meter kind / profile name: kpm31, kpm33, kpm37, sdm120, sdm630, ddsu666, dtsu666, dlt645.</param>
/// <param name="Gateway">Name of its gateway.</param>
/// <param name="UnitId">Modbus slave address 1–247 (required on Modbus gateways).</param>
/// <param name="Dlt645Address">12 decimal digits (required on DL/T 645 gateways).</param>
/// <param name="Format">What it feeds: chooses the load shape.</param>
/// <param name="FloorAreaM2">Shop floor area (0 for public circuits: sized by the power limit).</param>
/// <param name="PowerLimitKw">The supply's limit, primary side (sizing and the meter's overload trip).</param>
/// <param name="CtRatio">Current-transformer ratio (1 for direct meters); the meter measures the secondary side.</param>
/// <param name="Phases">1 or 3; must match the kind.</param>
/// <param name="Seed">Seeds this meter's random variation.</param>
public sealed record MeterDefinition(
    string Serial,
    string Kind,
    string Gateway,
    int? UnitId,
    string? Dlt645Address,
    LoadFormat Format,
    decimal FloorAreaM2,
    decimal PowerLimitKw,
    decimal CtRatio,
    int Phases,
    int Seed)
{
    /// <summary>How long power must stay above the limit before a meter with an overload trip opens its relay.</summary>
    public TimeSpan OverloadTripDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>For close-allowed meters: the tenant presses the button this long after a close is allowed (null: never by itself).</summary>
    public TimeSpan? AutoPressDelay { get; init; }

    /// <summary>The registers' reading when the simulation (or its history) starts, kWh (in the flat band).</summary>
    public decimal OpeningKwh { get; init; }

    /// <summary>
    /// The registers per band when the simulation starts, overriding <see cref="OpeningKwh"/>: a simulator restarted
    /// on an existing installation resumes from the readings already stored, as a real meter keeps its registers.
    /// </summary>
    public MeterEnergy? OpeningEnergy { get; init; }

    /// <summary>The meter's resident TOU table (null: the default Chinese commercial table).</summary>
    public TouTable? TouTable { get; init; }

    /// <summary>The relay's position at start (meters with a relay).</summary>
    public RelayState InitialRelay { get; init; } = RelayState.Closed;
}
