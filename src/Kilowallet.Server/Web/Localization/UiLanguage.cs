using System.Globalization;
using Kilowallet.Domain;

namespace Kilowallet.Server.Web.Localization;

/// <summary>The two languages of the user interface and how they map to cultures and a cookie.</summary>
public static class UiLanguage
{
    public const string CookieName = "kw.lang";

    public static CultureInfo English { get; } = CultureInfo.GetCultureInfo("en");

    public static CultureInfo Chinese { get; } = CultureInfo.GetCultureInfo("zh-Hans");

    public static IReadOnlyList<CultureInfo> Supported { get; } = [English, Chinese];

    public static Language Current => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? Language.SimplifiedChinese : Language.English;

    public static string Code(Language language) => language == Language.SimplifiedChinese ? "zh-Hans" : "en";

    public static Language Parse(string? code) =>
        code is not null && code.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Language.SimplifiedChinese : Language.English;
}
