namespace Kilowallet.Domain.Safety;

/// <summary>
/// A condition that is raised only after it has held for a while and cleared only after its clear
/// condition has held for a while — raise/clear hysteresis in time. The clear condition is normally
/// stricter than "not raised" (e.g. the voltage back inside a narrower band), giving hysteresis in value too.
/// </summary>
/// <param name="IsRaised">Whether the condition is currently raised.</param>
/// <param name="ChangingSince">When the opposite condition started holding without interruption; null if it does not hold.</param>
public readonly record struct DebouncedCondition(bool IsRaised, DateTimeOffset? ChangingSince)
{
    /// <summary>Feeds one observation: whether the raise condition and the clear condition hold at <paramref name="at"/>.</summary>
    public (DebouncedCondition Next, ConditionChange Change) Update(
        bool raiseHolds, bool clearHolds, DateTimeOffset at, TimeSpan raiseAfter, TimeSpan clearAfter)
    {
        var towardsChange = IsRaised ? clearHolds : raiseHolds;
        if (!towardsChange)
        {
            return (this with { ChangingSince = null }, ConditionChange.None);
        }

        var since = ChangingSince ?? at;
        if (at - since < (IsRaised ? clearAfter : raiseAfter))
        {
            return (this with { ChangingSince = since }, ConditionChange.None);
        }

        return IsRaised
            ? (new DebouncedCondition(false, null), ConditionChange.Cleared)
            : (new DebouncedCondition(true, null), ConditionChange.Raised);
    }
}
