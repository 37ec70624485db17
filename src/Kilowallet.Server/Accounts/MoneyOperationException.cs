namespace Kilowallet.Server.Accounts;

/// <summary>A money operation refused for a business reason (closed account, amount too large, shift closed …); nothing was written.</summary>
public sealed class MoneyOperationException : Exception
{
    public MoneyOperationException(string field, string message)
        : base(message)
    {
        Field = field;
    }

    public MoneyOperationException()
    {
        Field = string.Empty;
    }

    public MoneyOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
    }

    /// <summary>The request field the problem is about (for field-level messages).</summary>
    public string Field { get; }

    /// <summary>404 rather than 422: the thing named does not exist (or is not the caller's to see).</summary>
    public bool NotFound { get; init; }
}
