using System.Globalization;

namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// A tariff plan: a code unique at the site, a name, the currency, and its versions in order of
/// <see cref="TariffVersion.EffectiveFrom"/>. Versions already in force never change; a change is a new
/// version dated today or later (never in the past), so history is never silently re-priced.
/// Serialised as JSON by <see cref="TariffPlanJson"/> (the format is docs/tariffs.md).
/// </summary>
public sealed record TariffPlan(string Code, string Name, string Currency, IReadOnlyList<TariffVersion> Versions)
{
    /// <summary>Every reason the plan is not usable; empty when it is valid.</summary>
    public IReadOnlyList<TariffValidationError> Validate() => TariffPlanValidator.Validate(this);

    /// <summary>The version in force on a local date at the site, or null before the first one.</summary>
    public TariffVersion? VersionOn(DateOnly localDate)
    {
        TariffVersion? found = null;
        foreach (var version in Versions)
        {
            if (version.EffectiveFrom > localDate)
            {
                break;
            }

            found = version;
        }

        return found;
    }

    /// <summary>True once the version's local midnight has passed at <paramref name="now"/>.</summary>
    public static bool IsInForce(TariffVersion version, DateTimeOffset now, SiteCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(calendar);
        return calendar.StartOf(version.EffectiveFrom) <= now;
    }

    /// <summary>
    /// Adds <paramref name="draft"/> as the next version (its number is assigned). Refused when it would
    /// start before <paramref name="now"/> at the site (a version dated in the past), when it does not
    /// start after the latest version, or when the resulting plan is invalid.
    /// </summary>
    public TariffPlanChange AddVersion(TariffVersion draft, DateTimeOffset now, SiteCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(calendar);
        var path = string.Create(CultureInfo.InvariantCulture, $"versions[{Versions.Count}].effectiveFrom");
        var starts = calendar.StartOf(draft.EffectiveFrom);
        if (starts < now)
        {
            return TariffPlanChange.Refused(path, string.Create(
                CultureInfo.InvariantCulture,
                $"{draft.EffectiveFrom:yyyy-MM-dd} is in the past at the site (now {calendar.LocalDateTimeOf(now):yyyy-MM-dd HH:mm}); a new version starts today at the earliest, and history is changed only by an explicit re-rating."));
        }

        if (Versions.Count > 0 && draft.EffectiveFrom <= Versions[^1].EffectiveFrom)
        {
            return TariffPlanChange.Refused(path, string.Create(
                CultureInfo.InvariantCulture,
                $"{draft.EffectiveFrom:yyyy-MM-dd} does not start after the latest version ({Versions[^1].EffectiveFrom:yyyy-MM-dd}); withdraw a future version first to replace it."));
        }

        var plan = this with { Versions = [.. Versions, draft with { Number = Versions.Count + 1 }] };
        var errors = plan.Validate();
        return errors.Count == 0 ? new TariffPlanChange(plan, []) : new TariffPlanChange(null, errors);
    }

    /// <summary>Removes the latest version if it is not yet in force at <paramref name="now"/> (a future-dated change withdrawn).</summary>
    public TariffPlanChange WithdrawLatestVersion(DateTimeOffset now, SiteCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (Versions.Count <= 1)
        {
            return TariffPlanChange.Refused("versions", "A plan keeps at least one version.");
        }

        var latest = Versions[^1];
        if (IsInForce(latest, now, calendar))
        {
            return TariffPlanChange.Refused(
                string.Create(CultureInfo.InvariantCulture, $"versions[{Versions.Count - 1}]"),
                string.Create(CultureInfo.InvariantCulture, $"Version {latest.Number} is in force since {latest.EffectiveFrom:yyyy-MM-dd}; it can no longer change."));
        }

        return new TariffPlanChange(this with { Versions = [.. Versions.Take(Versions.Count - 1)] }, []);
    }
}
