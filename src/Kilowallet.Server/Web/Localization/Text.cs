using System.Collections.Frozen;
using Kilowallet.Domain;

namespace Kilowallet.Server.Web.Localization;

/// <summary>
/// The user interface's words in English and Simplified Chinese. A page writes <c>@T["Overview"]</c>;
/// a missing key shows itself in brackets so it is noticed, and a test checks every key has both languages.
/// </summary>
public sealed class Text
{
    /// <summary>Every feature's words, merged; a key defined twice stops the server at start.</summary>
    private static readonly FrozenDictionary<string, (string En, string Zh)> Entries = Merge(
        CommonTexts.All,
        ConsoleTexts.All,
        PortalTexts.All,
        ReportTexts.All,
        ValidationTexts.All,
        TariffTexts.All,
        AdminTexts.All,
        CommissioningTexts.All);

    public Language Language { get; init; } = UiLanguage.Current;

    public static IEnumerable<string> Keys => Entries.Keys;

    public string this[string key] =>
        Entries.TryGetValue(key, out var entry) ? (Language == Language.SimplifiedChinese ? entry.Zh : entry.En) : $"[{key}]";

    /// <summary>A message in the current request's language when it has a translation, else as it is.</summary>
    public static string Translate(string message) =>
        UiLanguage.Current == Language.SimplifiedChinese && message is not null && Entries.TryGetValue(message, out var entry) ? entry.Zh : message!;

    public static bool HasBoth(string key) =>
        Entries.TryGetValue(key, out var entry) && entry.En.Length > 0 && entry.Zh.Length > 0;

    /// <summary>Formats a text with placeholders {0}, {1} … in the current language.</summary>
    public string Format(string key, params object?[] values) =>
        string.Format(Language == Language.SimplifiedChinese ? System.Globalization.CultureInfo.GetCultureInfo("zh-Hans") : System.Globalization.CultureInfo.InvariantCulture, this[key], values);

    private static FrozenDictionary<string, (string En, string Zh)> Merge(params IEnumerable<(string Key, string En, string Zh)>[] sources)
    {
        var merged = new Dictionary<string, (string En, string Zh)>(StringComparer.Ordinal);
        foreach (var (key, en, zh) in sources.SelectMany(s => s))
        {
            if (!merged.TryAdd(key, (en, zh)))
            {
                throw new InvalidOperationException($"The interface text '{key}' is defined twice.");
            }
        }

        return merged.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
