namespace Kilowallet.Server.Tariffs;

/// <summary>
/// One version of a plan, stored as the plan-file JSON of the version. Immutable: a version in
/// force is never edited (a change is a new version); a future version may only be withdrawn.
/// </summary>
public sealed class TariffVersionRecord
{
    public long Id { get; set; }

    public long PlanId { get; set; }

    public int Number { get; set; }

    /// <summary>Local date at the site (00:00) from which the version prices energy.</summary>
    public DateOnly EffectiveFrom { get; set; }

    /// <summary>The version in the plan file format (docs/tariffs.md).</summary>
    public required string Definition { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }
}
