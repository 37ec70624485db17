using System.Globalization;

namespace Kilowallet.Domain.Notifications;

/// <summary>
/// Money as people read it in messages, rounded for display by <see cref="MoneyRounding.ForDisplay"/>:
/// English "¥1,234.56", Simplified Chinese "1234.56元". Negative amounts lead with a minus sign.
/// </summary>
public static class MoneyText
{
    public static string Format(Money amount, Language language)
    {
        var shown = MoneyRounding.ForDisplay(amount).Amount;
        var sign = shown < 0 ? "-" : string.Empty;
        var magnitude = Math.Abs(shown);
        return language switch
        {
            Language.English => sign + "¥" + magnitude.ToString("#,0.00", CultureInfo.InvariantCulture),
            Language.SimplifiedChinese => sign + magnitude.ToString("0.00", CultureInfo.InvariantCulture) + "元",
            _ => throw new ArgumentOutOfRangeException(nameof(language), language, "Unsupported language."),
        };
    }
}
