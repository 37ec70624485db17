namespace Kilowallet.Server.Ledger;

/// <summary>The idempotency key was used before for a different request: refused, nothing written.</summary>
public sealed class IdempotencyConflictException : Exception
{
    public IdempotencyConflictException(string key)
        : base($"The idempotency key '{key}' was already used for a different request.")
    {
        Key = key;
    }

    public IdempotencyConflictException()
    {
        Key = string.Empty;
    }

    public IdempotencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = string.Empty;
    }

    public string Key { get; }
}
