using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;

namespace Kilowallet.Server.Metering;

/// <summary>
/// An interval that was not billed: the register went backwards (meter replaced or reset), an
/// implausible jump, no tariff in force … An operator resolves it (e.g. confirms a replacement).
/// </summary>
public sealed class QuarantinedInterval
{
    public long Id { get; set; }

    public MeterId MeterId { get; set; }

    public DateTimeOffset FromAt { get; set; }

    public DateTimeOffset ToAt { get; set; }

    public long FromScaledWh { get; set; }

    public long ToScaledWh { get; set; }

    public QuarantineReason Reason { get; set; }

    public string? Detail { get; set; }

    public DateTimeOffset RaisedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolvedBy { get; set; }

    public string? Resolution { get; set; }
}
