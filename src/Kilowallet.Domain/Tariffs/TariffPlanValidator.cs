using System.Globalization;
using System.Text;

namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// The rules a plan must satisfy before anything is rated with it. Each refusal names the field (as a
/// path in the plan's JSON form) and says why in words an operator understands.
/// </summary>
public static class TariffPlanValidator
{
    public const int MaxPeriodsPerDay = 48;
    public const int MaxTiers = 16;
    public const int PriceDecimals = 4;
    public const int PercentDecimals = 3;
    public const int ThresholdDecimals = 3;
    public const int FixedChargeDecimals = 2;

    /// <summary>A ceiling far above any real price (it keeps every product inside decimal's range).</summary>
    public const decimal MaxPricePerKwh = 1_000_000m;

    public const decimal MaxPercent = 1_000m;

    public static IReadOnlyList<TariffValidationError> Validate(TariffPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new List<TariffValidationError>();
        if (string.IsNullOrWhiteSpace(plan.Code) || plan.Code.Length > 64 || !plan.Code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add(new("code", "A plan code is 1–64 letters, digits, '-', '_' or '.'."));
        }

        if (string.IsNullOrWhiteSpace(plan.Name))
        {
            errors.Add(new("name", "A plan needs a name."));
        }

        if (plan.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
        {
            errors.Add(new("currency", "The currency is an ISO 4217 code of three capital letters (e.g. CNY)."));
        }

        if (plan.Versions is null || plan.Versions.Count == 0)
        {
            errors.Add(new("versions", "A plan needs at least one version."));
            return errors;
        }

        for (var i = 0; i < plan.Versions.Count; i++)
        {
            var path = Invariant($"versions[{i}]");
            var version = plan.Versions[i];
            if (version is null)
            {
                errors.Add(new(path, "A version is missing."));
                continue;
            }

            if (version.Number != i + 1)
            {
                errors.Add(new(path + ".number", Invariant($"Versions are numbered 1, 2, 3… in order; this one should be {i + 1}, not {version.Number}.")));
            }

            if (i > 0 && plan.Versions[i - 1] is { } previous && version.EffectiveFrom <= previous.EffectiveFrom)
            {
                errors.Add(new(path + ".effectiveFrom", Invariant($"{version.EffectiveFrom:yyyy-MM-dd} must be after the previous version's {previous.EffectiveFrom:yyyy-MM-dd}.")));
            }

            ValidateVersion(version, path, errors);
        }

        return errors;
    }

    /// <summary>The rules of one version on its own (prices, seasons, schedules, tiers, charges, markup).</summary>
    public static IReadOnlyList<TariffValidationError> ValidateVersion(TariffVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var errors = new List<TariffValidationError>();
        ValidateVersion(version, string.Empty, errors);
        return errors;
    }

    private static void ValidateVersion(TariffVersion version, string path, List<TariffValidationError> errors)
    {
        var prefix = path.Length == 0 ? string.Empty : path + ".";
        foreach (var band in Enum.GetValues<TariffBand>())
        {
            if (version.Prices[band] is { } price)
            {
                CheckAmount(price, PriceDecimals, MaxPricePerKwh, prefix + "prices." + Camel(band), "A price per kWh", errors);
            }
        }

        if (version.Seasons is null || version.Seasons.Count == 0)
        {
            errors.Add(new(prefix + "seasons", "A version needs at least one season (months 1 to 12 for a year-round schedule)."));
        }
        else
        {
            ValidateSeasons(version, prefix + "seasons", errors);
        }

        ValidateTiers(version.Tiers, prefix + "tiers", errors);

        if (version.FixedCharges is { } charges)
        {
            for (var i = 0; i < charges.Count; i++)
            {
                var chargePath = Invariant($"{prefix}fixedCharges[{i}]");
                if (charges[i] is not { } charge)
                {
                    errors.Add(new(chargePath, "A fixed charge is missing."));
                    continue;
                }

                if (string.IsNullOrWhiteSpace(charge.Name))
                {
                    errors.Add(new(chargePath + ".name", "A fixed charge needs a name (it is shown on statements)."));
                }

                CheckAmount(charge.Amount, FixedChargeDecimals, MaxPricePerKwh, chargePath + ".amount", "A fixed charge", errors);
                if (!Enum.IsDefined(charge.Per))
                {
                    errors.Add(new(chargePath + ".per", "A fixed charge is per day or per month."));
                }
            }
        }

        if (version.Markup is { } markup)
        {
            CheckAmount(markup.Percent, PercentDecimals, MaxPercent, prefix + "markup.percent", "A markup percentage", errors);
            CheckAmount(markup.PerKwh, PriceDecimals, MaxPricePerKwh, prefix + "markup.perKwh", "A markup per kWh", errors);
        }
    }

    private static void ValidateSeasons(TariffVersion version, string path, List<TariffValidationError> errors)
    {
        var monthOwner = new string?[13];
        for (var i = 0; i < version.Seasons.Count; i++)
        {
            var seasonPath = Invariant($"{path}[{i}]");
            if (version.Seasons[i] is not { } season)
            {
                errors.Add(new(seasonPath, "A season is missing."));
                continue;
            }

            var name = string.IsNullOrWhiteSpace(season.Name) ? Invariant($"season {i + 1}") : $"'{season.Name}'";
            if (string.IsNullOrWhiteSpace(season.Name))
            {
                errors.Add(new(seasonPath + ".name", "A season needs a name (e.g. summer)."));
            }

            if (season.FromMonth is < 1 or > 12 || season.ToMonth is < 1 or > 12)
            {
                errors.Add(new(seasonPath, Invariant($"Months are 1–12; {name} runs from {season.FromMonth} to {season.ToMonth}.")));
            }
            else
            {
                for (var month = 1; month <= 12; month++)
                {
                    if (!season.Contains(month))
                    {
                        continue;
                    }

                    if (monthOwner[month] is { } other)
                    {
                        errors.Add(new(seasonPath, Invariant($"Month {month} is in both {other} and {name}; seasons must cover each month once.")));
                    }
                    else
                    {
                        monthOwner[month] = name;
                    }
                }
            }

            ValidateSchedule(season.Weekday, seasonPath + ".weekday", required: true, version.Prices, errors);
            ValidateSchedule(season.Weekend, seasonPath + ".weekend", required: false, version.Prices, errors);
            ValidateSchedule(season.Holiday, seasonPath + ".holiday", required: false, version.Prices, errors);
        }

        var uncovered = Enumerable.Range(1, 12).Where(m => monthOwner[m] is null).ToList();
        if (uncovered.Count > 0)
        {
            errors.Add(new(path, $"The seasons must cover all 12 months; not covered: {string.Join(", ", uncovered.Select(m => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(m)))}."));
        }
    }

    private static void ValidateSchedule(IReadOnlyList<TariffPeriod>? periods, string path, bool required, BandPrices prices, List<TariffValidationError> errors)
    {
        if (periods is null)
        {
            if (required)
            {
                errors.Add(new(path, "A season needs a weekday schedule."));
            }

            return;
        }

        if (periods.Count == 0)
        {
            errors.Add(new(path, "A schedule needs at least one period (00:00–24:00 for a single band)."));
            return;
        }

        if (periods.Count > MaxPeriodsPerDay)
        {
            errors.Add(new(path, Invariant($"A day has at most {MaxPeriodsPerDay} periods; this one has {periods.Count}.")));
            return;
        }

        var coveredBy = new int[TariffPeriod.MinutesPerDay];
        var wellFormed = true;
        for (var i = 0; i < periods.Count; i++)
        {
            var period = periods[i];
            var periodPath = Invariant($"{path}[{i}]");
            if (!Enum.IsDefined(period.Band))
            {
                errors.Add(new(periodPath + ".band", Invariant($"'{period.Band}' is not a band; the bands are sharp, peak, flat and valley.")));
            }
            else if (prices[period.Band] is null)
            {
                errors.Add(new(periodPath + ".band", $"The schedule uses {Camel(period.Band)} but the version has no price for it (prices.{Camel(period.Band)})."));
            }

            if (!IsWholeMinute(period.Start) || !IsWholeMinute(period.End))
            {
                errors.Add(new(periodPath, $"Period {period} must start and end on whole minutes."));
                wellFormed = false;
                continue;
            }

            for (var minute = period.StartMinute; minute < period.EndMinute; minute++)
            {
                var slot = minute % TariffPeriod.MinutesPerDay;
                if (coveredBy[slot] != 0)
                {
                    errors.Add(new(periodPath, Invariant($"Period {period} overlaps period {periods[coveredBy[slot] - 1]} at {MinuteText(slot)}.")));
                    wellFormed = false;
                    break;
                }

                coveredBy[slot] = i + 1;
            }
        }

        if (!wellFormed)
        {
            return;
        }

        var gaps = new StringBuilder();
        for (var minute = 0; minute < TariffPeriod.MinutesPerDay; minute++)
        {
            if (coveredBy[minute] != 0)
            {
                continue;
            }

            var end = minute;
            while (end < TariffPeriod.MinutesPerDay && coveredBy[end] == 0)
            {
                end++;
            }

            gaps.Append(gaps.Length == 0 ? string.Empty : ", ").Append(MinuteText(minute)).Append('–').Append(MinuteText(end));
            minute = end;
        }

        if (gaps.Length > 0)
        {
            errors.Add(new(path, $"The periods must cover all 24 hours; not covered: {gaps}."));
        }
    }

    private static void ValidateTiers(IReadOnlyList<TariffTier>? tiers, string path, List<TariffValidationError> errors)
    {
        if (tiers is null || tiers.Count == 0)
        {
            return;
        }

        if (tiers.Count > MaxTiers)
        {
            errors.Add(new(path, Invariant($"A ladder has at most {MaxTiers} blocks; this one has {tiers.Count}.")));
            return;
        }

        if (tiers[0].FromKwh != 0m)
        {
            errors.Add(new(path + "[0].fromKwh", "The first block starts at 0 kWh."));
        }

        for (var i = 0; i < tiers.Count; i++)
        {
            var tierPath = Invariant($"{path}[{i}]");
            CheckAmount(tiers[i].FromKwh, ThresholdDecimals, 1_000_000_000m, tierPath + ".fromKwh", "A block threshold (kWh)", errors);
            CheckAmount(tiers[i].AdderPerKwh, PriceDecimals, MaxPricePerKwh, tierPath + ".adderPerKwh", "A block adder per kWh", errors);
            if (i > 0 && tiers[i].FromKwh <= tiers[i - 1].FromKwh)
            {
                errors.Add(new(tierPath + ".fromKwh", Invariant($"Block thresholds must increase: {tiers[i].FromKwh} kWh follows {tiers[i - 1].FromKwh} kWh.")));
            }
        }
    }

    private static void CheckAmount(decimal value, int decimals, decimal max, string path, string what, List<TariffValidationError> errors)
    {
        if (value < 0m)
        {
            errors.Add(new(path, Invariant($"{what} cannot be negative ({value}).")));
        }
        else if (value > max)
        {
            errors.Add(new(path, Invariant($"{what} of {value} is beyond the supported {max}.")));
        }

        if (decimal.Round(value, decimals) != value)
        {
            errors.Add(new(path, Invariant($"{what} has at most {decimals} decimals; {value} has more.")));
        }
    }

    private static bool IsWholeMinute(TimeOnly time) => time.Ticks % TimeSpan.TicksPerMinute == 0;

    private static string MinuteText(int minute) => Invariant($"{minute / 60:00}:{minute % 60:00}");

    internal static string Camel(TariffBand band) => band switch
    {
        TariffBand.Sharp => "sharp",
        TariffBand.Peak => "peak",
        TariffBand.Flat => "flat",
        TariffBand.Valley => "valley",
        _ => band.ToString(),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
