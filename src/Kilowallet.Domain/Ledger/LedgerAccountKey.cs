using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Kilowallet.Domain.Ledger;

/// <summary>
/// Names one account of the ledger. Its text form is stable and is what storage keeps:
/// "wallet:42", "revenue:peak", "fixed-fee-revenue", "cash:cashier-7", "clearing:demo-pay",
/// "refunds:bank-transfer", "adjustments", "opening-equity".
/// Qualifiers (cashier ids, provider codes, payout channels) are 1–64 characters of ASCII letters,
/// digits and <c>- _ . @</c>, compared case-sensitively. <c>default</c> names no account and is refused by
/// <see cref="Posting"/>.
/// </summary>
public readonly record struct LedgerAccountKey
{
    private const int MaxQualifierLength = 64;

    private LedgerAccountKey(LedgerAccountKind kind, string? qualifier)
    {
        Kind = kind;
        Qualifier = qualifier;
        IsSpecified = true;
    }

    public LedgerAccountKind Kind { get; }

    /// <summary>The account id, band, cashier id, provider code or payout channel; null for the single accounts.</summary>
    public string? Qualifier { get; }

    /// <summary>False only for <c>default(LedgerAccountKey)</c>.</summary>
    public bool IsSpecified { get; }

    public static LedgerAccountKey FixedFeeRevenue { get; } = new(LedgerAccountKind.FixedFeeRevenue, null);

    public static LedgerAccountKey Adjustments { get; } = new(LedgerAccountKind.Adjustments, null);

    public static LedgerAccountKey OpeningEquity { get; } = new(LedgerAccountKind.OpeningEquity, null);

    public bool IsWallet => IsSpecified && Kind == LedgerAccountKind.Wallet;

    /// <summary>The tenant account of a wallet key; null for every other kind.</summary>
    public AccountId? WalletAccount =>
        IsWallet ? AccountId.From(long.Parse(Qualifier!, NumberStyles.None, CultureInfo.InvariantCulture)) : null;

    /// <summary>The band of a revenue key; null for every other kind.</summary>
    public RevenueBand? Band =>
        IsSpecified && Kind == LedgerAccountKind.Revenue ? BandFromText(Qualifier!) : null;

    public static LedgerAccountKey Wallet(AccountId account)
    {
        if (account.Value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(account), account.Value, "A wallet belongs to a stored account; its id is positive.");
        }

        return new(LedgerAccountKind.Wallet, account.Value.ToString(CultureInfo.InvariantCulture));
    }

    public static LedgerAccountKey Revenue(RevenueBand band)
    {
        if (!Enum.IsDefined(band))
        {
            throw new ArgumentOutOfRangeException(nameof(band), band, "Unknown revenue band.");
        }

        return new(LedgerAccountKind.Revenue, BandText(band));
    }

    public static LedgerAccountKey CashDrawer(string cashierId) =>
        new(LedgerAccountKind.CashDrawer, RequireQualifier(cashierId, nameof(cashierId)));

    public static LedgerAccountKey Clearing(string providerCode) =>
        new(LedgerAccountKind.Clearing, RequireQualifier(providerCode, nameof(providerCode)));

    public static LedgerAccountKey RefundsPayable(string payoutChannel) =>
        new(LedgerAccountKind.RefundsPayable, RequireQualifier(payoutChannel, nameof(payoutChannel)));

    public override string ToString() => !IsSpecified ? "(unspecified)" : Kind switch
    {
        LedgerAccountKind.Wallet => "wallet:" + Qualifier,
        LedgerAccountKind.Revenue => "revenue:" + Qualifier,
        LedgerAccountKind.FixedFeeRevenue => "fixed-fee-revenue",
        LedgerAccountKind.CashDrawer => "cash:" + Qualifier,
        LedgerAccountKind.Clearing => "clearing:" + Qualifier,
        LedgerAccountKind.RefundsPayable => "refunds:" + Qualifier,
        LedgerAccountKind.Adjustments => "adjustments",
        LedgerAccountKind.OpeningEquity => "opening-equity",
        _ => throw new InvalidOperationException($"Unknown ledger account kind {Kind}."),
    };

    /// <summary>Reads the stable text form written by <see cref="ToString"/>.</summary>
    public static LedgerAccountKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not a ledger account key.");

    public static bool TryParse([NotNullWhen(true)] string? text, out LedgerAccountKey key)
    {
        key = default;
        if (text is null)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var prefix = colon < 0 ? text : text[..colon];
        var qualifier = colon < 0 ? null : text[(colon + 1)..];
        switch (prefix, qualifier)
        {
            case ("fixed-fee-revenue", null):
                key = FixedFeeRevenue;
                return true;
            case ("adjustments", null):
                key = Adjustments;
                return true;
            case ("opening-equity", null):
                key = OpeningEquity;
                return true;
            case ("wallet", { } id):
                if (id.Length is > 0 and <= 19 && id[0] != '0'
                    && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    key = Wallet(AccountId.From(value));
                    return true;
                }

                return false;
            case ("revenue", { } band):
                if (BandFromText(band) is { } parsed)
                {
                    key = Revenue(parsed);
                    return true;
                }

                return false;
            case ("cash", { } q) when IsQualifier(q):
                key = new(LedgerAccountKind.CashDrawer, q);
                return true;
            case ("clearing", { } q) when IsQualifier(q):
                key = new(LedgerAccountKind.Clearing, q);
                return true;
            case ("refunds", { } q) when IsQualifier(q):
                key = new(LedgerAccountKind.RefundsPayable, q);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether <paramref name="value"/> may be used as a cashier id, provider code or payout channel.</summary>
    public static bool IsQualifier([NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= MaxQualifierLength } && value.All(IsQualifierChar);

    private static bool IsQualifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@';

    private static string RequireQualifier(string value, string parameterName) =>
        IsQualifier(value)
            ? value
            : throw new ArgumentException(
                $"'{value}' is not a valid {parameterName}: use 1–{MaxQualifierLength} ASCII letters, digits, '-', '_', '.' or '@'.",
                parameterName);

    private static string BandText(RevenueBand band) => band switch
    {
        RevenueBand.Sharp => "sharp",
        RevenueBand.Peak => "peak",
        RevenueBand.Flat => "flat",
        RevenueBand.Valley => "valley",
        _ => throw new ArgumentOutOfRangeException(nameof(band), band, "Unknown revenue band."),
    };

    private static RevenueBand? BandFromText(string text) => text switch
    {
        "sharp" => RevenueBand.Sharp,
        "peak" => RevenueBand.Peak,
        "flat" => RevenueBand.Flat,
        "valley" => RevenueBand.Valley,
        _ => null,
    };
}
