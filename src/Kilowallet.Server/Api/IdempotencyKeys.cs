using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Audit;

namespace Kilowallet.Server.Api;

/// <summary>
/// The Idempotency-Key header of money-moving requests: the same key from the same caller returns
/// the original result instead of moving money again. Required on every money-moving POST.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    public static IdempotencyKey? FromRequest(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var value = http.Request.Headers[Header].ToString().Trim();
        if (value.Length is 0 or > 100)
        {
            return null;
        }

        var principal = AuditLog.ActorOf(http.User).Replace(":", "-", StringComparison.Ordinal);
        return IdempotencyKey.TryParse("client:" + principal + ":" + value, out var key) ? key : null;
    }
}
