using System.Text.Json;
using Kilowallet.Server.Web.Localization;

namespace Kilowallet.Server.Web;

/// <summary>
/// Data a page hands to its script, as JSON safe inside &lt;script type="application/json"&gt; (the
/// serializer escapes &lt;, &gt; and &amp;): the page's words in the current language, and values.
/// </summary>
public static class PageScript
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Json(object? value) => JsonSerializer.Serialize(value, Options);

    /// <summary>The texts of <paramref name="keys"/> in the current language, by key.</summary>
    public static string Texts(Text text, IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(keys);
        return JsonSerializer.Serialize(keys.Distinct(StringComparer.Ordinal).ToDictionary(k => k, k => text[k], StringComparer.Ordinal), Options);
    }
}
