using Kilowallet.Domain;

namespace Kilowallet.Server.Metering;

/// <summary>
/// Where billing stands for a meter: the last rated reading (scaled by the CT/PT ratio) and the
/// month-to-date energy for ladder blocks. Updated with an optimistic version check in the same
/// transaction as the readings it rates, so two nodes can never rate the same interval.
/// </summary>
public sealed class MeterRatingState
{
    public MeterId MeterId { get; set; }

    public DateTimeOffset? LastAt { get; set; }

    /// <summary>Cumulative energy of the last rated reading in Wh after CT/PT (floor of register × ratio).</summary>
    public long? LastScaledWh { get; set; }

    public long? LastSharpWh { get; set; }

    public long? LastPeakWh { get; set; }

    public long? LastFlatWh { get; set; }

    public long? LastValleyWh { get; set; }

    public long MonthToDateWh { get; set; }

    public long Version { get; set; }
}
