using System.Globalization;
using System.Security.Cryptography;

namespace Kilowallet.Server.Accounts;

/// <summary>Receipt numbers printed on till receipts: R-yyMMdd-XXXXXX (date and six unambiguous characters).</summary>
public static class ReceiptNumbers
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string Next(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return "R-" + clock.GetUtcNow().ToString("yyMMdd", CultureInfo.InvariantCulture) + "-" + RandomNumberGenerator.GetString(Alphabet, 6);
    }
}
