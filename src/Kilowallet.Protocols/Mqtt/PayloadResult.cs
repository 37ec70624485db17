namespace Kilowallet.Protocols.Mqtt;

/// <summary>A decoded payload, or why it was refused.</summary>
public readonly record struct PayloadResult<T>(T? Value, string? Reason)
    where T : class
{
    public bool IsValid => Value is not null;

    internal static PayloadResult<T> Ok(T value) => new(value, null);

    internal static PayloadResult<T> Invalid(string reason) => new(null, reason);
}
