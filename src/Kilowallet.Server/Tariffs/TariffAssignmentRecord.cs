using Kilowallet.Domain;

namespace Kilowallet.Server.Tariffs;

/// <summary>
/// A plan assigned to an account (all its meters) or to one meter (overriding the account's, e.g.
/// a refrigeration circuit on a night plan), from a local date. Never dated in the past: history is
/// re-priced only by an explicit, audited re-rating.
/// </summary>
public sealed class TariffAssignmentRecord
{
    public long Id { get; set; }

    public long PlanId { get; set; }

    public AccountId? AccountId { get; set; }

    public MeterId? MeterId { get; set; }

    public DateOnly From { get; set; }

    public DateOnly? Until { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }
}
