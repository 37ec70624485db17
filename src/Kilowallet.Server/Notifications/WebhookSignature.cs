using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kilowallet.Server.Notifications;

/// <summary>
/// The X-Kilowallet-Signature header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where v1 is
/// HMAC-SHA256 with the subscription's secret over "&lt;t&gt;.&lt;raw body&gt;". A receiver recomputes it
/// and refuses old timestamps, so a captured delivery cannot be replayed later.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Kilowallet-Signature";
    public const string EventIdHeader = "X-Kilowallet-Event-Id";
    public const string EventHeader = "X-Kilowallet-Event";
    public const string DeliveryHeader = "X-Kilowallet-Delivery";

    public static string Sign(string secret, DateTimeOffset at, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body));
        return "t=" + timestamp + ",v1=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>A new random secret for a subscription.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
