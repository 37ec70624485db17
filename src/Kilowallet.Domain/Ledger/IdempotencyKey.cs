using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Kilowallet.Domain.Ledger;

/// <summary>
/// The identity of a money movement, unique across the ledger: every <see cref="Posting"/> carries
/// one, storage keeps its text in a unique index, and a retried request with the same key is
/// recognised and credited once. Text form: "{scope}:{value}", e.g. "receipt:R-000123",
/// "provider:demo-pay:TX42", "client:user-7:abc", "system:fee:42:2025-01",
/// "charge:m42:peak:2025-01-01T10Z", "reversal:receipt:R-000123".
/// </summary>
public readonly record struct IdempotencyKey
{
    private const int MaxValueLength = 200;

    private IdempotencyKey(IdempotencyScope scope, string value)
    {
        Scope = scope;
        Value = value;
    }

    public IdempotencyScope Scope { get; }

    /// <summary>The part after the scope prefix; null only for <c>default(IdempotencyKey)</c>.</summary>
    public string? Value { get; }

    public bool IsSpecified => Value is not null;

    public static IdempotencyKey ForReceipt(string receiptNumber) =>
        new(IdempotencyScope.Receipt, RequireText(receiptNumber, nameof(receiptNumber)));

    public static IdempotencyKey ForProviderTransaction(string providerCode, string transactionId) =>
        new(IdempotencyScope.ProviderTransaction,
            RequirePrefixToken(providerCode, nameof(providerCode)) + ":" + RequireText(transactionId, nameof(transactionId)));

    /// <summary>A client-chosen key, scoped by the principal that sent it so two clients cannot collide.</summary>
    public static IdempotencyKey ForClientRequest(string principal, string clientKey) =>
        new(IdempotencyScope.ClientRequest,
            RequirePrefixToken(principal, nameof(principal)) + ":" + RequireText(clientKey, nameof(clientKey)));

    public static IdempotencyKey ForSystem(string name) =>
        new(IdempotencyScope.System, RequireText(name, nameof(name)));

    /// <summary>
    /// The key of the charge posting of one (meter, band, hour) bucket: "charge:m42:peak:2025-01-01T10Z",
    /// with "/2" appended for part 2 of a bucket posted again after late data.
    /// </summary>
    public static IdempotencyKey ForCharge(MeterId meter, RevenueBand band, DateTimeOffset hourStart, int part = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        var value = string.Create(
            CultureInfo.InvariantCulture,
            $"m{meter.Value}:{LedgerAccountKey.Revenue(band).Qualifier}:{hourStart.UtcDateTime:yyyy-MM-dd'T'HH}Z");
        return new(IdempotencyScope.Charge, part == 0 ? value : string.Create(CultureInfo.InvariantCulture, $"{value}/{part}"));
    }

    /// <summary>The key of the reversal of the posting identified by <paramref name="original"/>.</summary>
    public static IdempotencyKey ForReversalOf(IdempotencyKey original) =>
        original.IsSpecified
            ? new(IdempotencyScope.Reversal, original.ToString())
            : throw new ArgumentException("The original posting's key is unspecified.", nameof(original));

    public override string ToString() => Value is null ? "(unspecified)" : ScopeText(Scope) + ":" + Value;

    public static IdempotencyKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not an idempotency key.");

    public static bool TryParse([NotNullWhen(true)] string? text, out IdempotencyKey key)
    {
        key = default;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0)
        {
            return false;
        }

        var value = text![(colon + 1)..];
        IdempotencyScope? scope = text[..colon] switch
        {
            "receipt" => IdempotencyScope.Receipt,
            "provider" => IdempotencyScope.ProviderTransaction,
            "client" => IdempotencyScope.ClientRequest,
            "system" => IdempotencyScope.System,
            "charge" => IdempotencyScope.Charge,
            "reversal" => IdempotencyScope.Reversal,
            _ => null,
        };
        if (scope is null || !IsText(value))
        {
            return false;
        }

        key = new(scope.Value, value);
        return true;
    }

    private static string ScopeText(IdempotencyScope scope) => scope switch
    {
        IdempotencyScope.Receipt => "receipt",
        IdempotencyScope.ProviderTransaction => "provider",
        IdempotencyScope.ClientRequest => "client",
        IdempotencyScope.System => "system",
        IdempotencyScope.Charge => "charge",
        IdempotencyScope.Reversal => "reversal",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown idempotency scope."),
    };

    // A reversal of a reversal nests the prefix, so the value may be long; the limit only stops abuse.
    private static bool IsText(string value) =>
        value.Length is > 0 and <= MaxValueLength * 4
        && !char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1])
        && !value.Any(char.IsControl);

    private static string RequireText(string value, string parameterName) =>
        value is { Length: > 0 and <= MaxValueLength } && IsText(value)
            ? value
            : throw new ArgumentException(
                $"'{value}' is not a valid {parameterName}: 1–{MaxValueLength} characters, no control characters, no surrounding spaces.",
                parameterName);

    private static string RequirePrefixToken(string value, string parameterName) =>
        LedgerAccountKey.IsQualifier(value)
            ? value
            : throw new ArgumentException(
                $"'{value}' is not a valid {parameterName}: use ASCII letters, digits, '-', '_', '.' or '@'.",
                parameterName);
}
