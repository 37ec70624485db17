using Kilowallet.Simulator.Load;

namespace Kilowallet.Simulator;

/// <summary>A simulated mall: its gateways and meters, local time zone and opening hours.</summary>
public sealed record MallDefinition(string Name, IReadOnlyList<GatewayDefinition> Gateways, IReadOnlyList<MeterDefinition> Meters)
{
    /// <summary>IANA time zone of the mall (TOU bands and load shapes follow its wall clock).</summary>
    public string TimeZone { get; init; } = MallCalendar.DefaultTimeZone;

    public TimeOnly OpensAt { get; init; } = new(10, 0);

    public TimeOnly ClosesAt { get; init; } = new(22, 0);

    /// <summary>Seeds what the whole mall shares (grid voltage and frequency noise).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Losses between the incomer and the sub-meters, as a fraction of their sum.</summary>
    public double LineLossFraction { get; init; } = 0.015;
}
