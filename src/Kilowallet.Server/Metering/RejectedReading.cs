using Kilowallet.Domain;

namespace Kilowallet.Server.Metering;

/// <summary>A reading with impossible values (NaN, negative energy, 10 kV on a 230 V meter …): kept for diagnosis, never stored as truth or billed.</summary>
public sealed class RejectedReading
{
    public long Id { get; set; }

    public MeterId MeterId { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Reason { get; set; }

    public string? Values { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
