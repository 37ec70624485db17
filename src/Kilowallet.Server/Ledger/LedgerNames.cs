using System.Text;

namespace Kilowallet.Server.Ledger;

/// <summary>
/// People and systems as the ledger names them (operator ids, cash drawers): ASCII letters, digits
/// and - _ . @ only. "apikey:erp" becomes "apikey-erp". The audit log keeps the exact actor.
/// </summary>
public static class LedgerNames
{
    public static string Of(string actor)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        var name = new StringBuilder(Math.Min(actor.Length, 64));
        foreach (var c in actor.AsSpan(0, Math.Min(actor.Length, 64)))
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' ? c : '-');
        }

        return name.ToString();
    }
}
