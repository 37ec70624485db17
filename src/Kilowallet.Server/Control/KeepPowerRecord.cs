using Kilowallet.Domain;

namespace Kilowallet.Server.Control;

/// <summary>
/// A keep-power (保电) exemption granted by an operator: while active, an exhausted balance does not cut
/// the meter (or every meter of the account). Active from <see cref="ValidFrom"/> until <see cref="ValidUntil"/>
/// (open-ended when null) unless revoked. Safety trips still apply.
/// </summary>
public sealed class KeepPowerRecord
{
    public long Id { get; set; }

    /// <summary>One meter; or null when the exemption covers an account.</summary>
    public MeterId? MeterId { get; set; }

    /// <summary>Every meter the account pays for; or null when the exemption covers one meter.</summary>
    public AccountId? AccountId { get; set; }

    public required string Reason { get; set; }

    public required string GrantedBy { get; set; }

    public DateTimeOffset ValidFrom { get; set; }

    public DateTimeOffset? ValidUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    public string? RevokeReason { get; set; }
}
