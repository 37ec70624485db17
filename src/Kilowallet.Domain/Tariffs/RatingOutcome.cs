namespace Kilowallet.Domain.Tariffs;

/// <summary>What became of an interval.</summary>
public enum RatingOutcome
{
    /// <summary>Priced: its slices were produced (none when the energy is zero).</summary>
    Rated = 0,

    /// <summary>The reading is not after the last rated one (a duplicate or an older reading): nothing to do, ever.</summary>
    Ignored = 1,

    /// <summary>Not rated: the server raises an alarm and an operator resolves it (see <see cref="QuarantineReason"/>).</summary>
    Quarantined = 2,
}
