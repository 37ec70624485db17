namespace Kilowallet.Server.Web;

/// <summary>How a site's currency is written before an amount on screens and receipts.</summary>
public static class CurrencySymbols
{
    public static string Of(string? currency) => currency?.ToUpperInvariant() switch
    {
        "CNY" or "JPY" => "¥",
        "USD" or "HKD" or "SGD" or "AUD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        null or "" => string.Empty,
        var code => code + " ",
    };
}
