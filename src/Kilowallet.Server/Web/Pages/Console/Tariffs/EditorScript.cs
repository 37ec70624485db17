using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Server.Web.Localization;

namespace Kilowallet.Server.Web.Pages.Console.Tariffs;

/// <summary>What the version editor's script (wwwroot/js/tariff-editor.js) needs: its words in the page's language and the month names.</summary>
public static class EditorScript
{
    private static readonly (string Name, string Key)[] Words =
    [
        ("band.sharp", "BandSharp"), ("band.peak", "BandPeak"), ("band.flat", "BandFlat"), ("band.valley", "BandValley"),
        ("bandShort.sharp", "TfShortSharp"), ("bandShort.peak", "TfShortPeak"), ("bandShort.flat", "TfShortFlat"), ("bandShort.valley", "TfShortValley"),
        ("uncovered", "TfUncovered"),
        ("day.weekday", "TfWeekday"), ("day.weekend", "TfWeekend"), ("day.holiday", "TfHoliday"),
        ("same.weekend", "TfSameAsWeekday"), ("same.holiday", "TfSameAsWeekend"),
        ("start", "TfStart"), ("end", "TfEnd"), ("band", "TfBand"), ("remove", "TfRemove"), ("addPeriod", "TfAddPeriod"),
        ("seasonN", "TfSeasonN"), ("seasonName", "TfSeasonName"), ("seasonNameHint", "TfSeasonNameHint"),
        ("fromMonth", "TfFromMonth"), ("toMonth", "TfToMonth"), ("removeSeason", "TfRemoveSeason"), ("addSeason", "TfAddSeason"),
        ("effectiveFrom", "TfEffectiveFrom"), ("note", "TfNote"), ("pricesIn", "TfPricesIn"), ("unused", "TfUnused"),
        ("extras", "TfExtras"), ("tiers", "TfTiers"), ("tiersHelp", "TfTiersHelp"), ("fromKwh", "TfFromKwh"), ("adderPerKwh", "TfAdderPerKwh"), ("addTier", "TfAddTier"),
        ("fixedCharges", "TfFixedCharges"), ("chargeName", "TfChargeName"), ("amount", "Amount"), ("per", "TfPer"),
        ("perMonth", "TfPerMonth"), ("perDay", "TfPerDay"), ("addCharge", "TfAddCharge"),
        ("markup", "TfMarkup"), ("markupPercent", "TfMarkupPercent"), ("markupPerKwh", "TfMarkupPerKwh"),
        ("required", "Required"), ("errNumber", "TfErrNumber"), ("errDate", "TfErrDate"), ("errDateTooEarly", "TfErrDateTooEarly"),
        ("errNoPrices", "TfErrNoPrices"), ("errMonthTwice", "TfErrMonthTwice"), ("errMonthsMissing", "TfErrMonthsMissing"),
        ("errNoPeriods", "TfErrNoPeriods"), ("errTooManyPeriods", "TfErrTooManyPeriods"), ("errTime", "TfErrTime"),
        ("errUnpriced", "TfErrUnpriced"), ("errOverlap", "TfErrOverlap"), ("errGap", "TfErrGap"), ("errNoSeasons", "TfErrNoSeasons"),
        ("errFirstTier", "TfErrFirstTier"), ("errTierOrder", "TfErrTierOrder"), ("errTooLarge", "TfErrTooLarge"),
    ];

    public static IEnumerable<string> Keys => Words.Select(w => w.Key);

    public static Dictionary<string, string> Texts(Text text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Words.ToDictionary(w => w.Name, w => text[w.Key], StringComparer.Ordinal);
    }

    public static IReadOnlyList<string> Months(Language language) =>
        [.. CultureInfo.GetCultureInfo(UiLanguage.Code(language)).DateTimeFormat.AbbreviatedMonthNames.Take(12)];
}
