using Kilowallet.Domain;

namespace Kilowallet.Server.Accounts;

/// <summary>
/// A dated change of the account a meter bills to: energy up to <see cref="FinalReadingWh"/> (read at
/// <see cref="At"/>) was billed to <see cref="PreviousAccountId"/>, everything after it to <see cref="AccountId"/>.
/// </summary>
public sealed class MeterAssignment
{
    public long Id { get; set; }

    public MeterId MeterId { get; set; }

    public AccountId? PreviousAccountId { get; set; }

    public AccountId? AccountId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The register reading (Wh, the meter's own) that closed the previous account's use; null when the meter was unassigned before.</summary>
    public long? FinalReadingWh { get; set; }

    /// <summary>How the final reading was taken: read over the wire now, or typed from the meter's display.</summary>
    public string? FinalReadingSource { get; set; }

    public required string Actor { get; set; }

    public required string Reason { get; set; }
}
